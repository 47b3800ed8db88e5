import { purgeRequest } from './cdn.http.js';
import type { CdnTarget } from './cdn.queue.js';

/**
 * Cloudflare's purge API: `POST /client/v4/zones/{zone}/purge_cache` with `{"tags": [...]}`, or
 * `{"purge_everything": true}`. Cloudflare ignores `Surrogate-Key`: it learns a page's tags from a
 * comma-separated `Cache-Tag` header, which Gazette adds when this CDN is configured.
 */
export function cloudflareTarget(opts: { apiUrl: string; zone: string; token: string }): CdnTarget {
  const url = `${opts.apiUrl}/client/v4/zones/${encodeURIComponent(opts.zone)}/purge_cache`;
  return {
    name: `cloudflare zone ${opts.zone}`,
    // Cloudflare takes at most 30 tags per purge request on every plan.
    maxKeys: 30,
    async send(keys) {
      const res = await purgeRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(keys ? { tags: keys } : { purge_everything: true }),
      });
      const answer = (await res.json().catch(() => ({}))) as { success?: boolean };
      if (answer.success !== true) throw new Error('Cloudflare did not confirm the purge');
    },
  };
}

/** The `Cache-Tag` header for a page with these keys, when Cloudflare is the CDN (else nothing). */
export function cacheTagHeader(keys: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (!keys.length || (env.GAZETTE_CDN ?? '').trim().toLowerCase() !== 'cloudflare') return [];
  return ['cache-tag', keys.join(',')];
}
