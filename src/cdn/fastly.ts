import { purgeRequest } from './cdn.http.js';
import type { CdnTarget } from './cdn.queue.js';

/**
 * Fastly's purge API: `POST /service/{id}/purge` with the keys in `Surrogate-Key` (Fastly reads
 * the `Surrogate-Key` header Gazette's pages carry as is), or `/purge_all` for every page.
 */
export function fastlyTarget(opts: { apiUrl: string; service: string; token: string }): CdnTarget {
  const base = `${opts.apiUrl}/service/${encodeURIComponent(opts.service)}`;
  return {
    name: `fastly service ${opts.service}`,
    // Fastly takes up to 256 keys per request.
    maxKeys: 256,
    async send(keys) {
      const headers: Record<string, string> = { 'Fastly-Key': opts.token, accept: 'application/json' };
      if (keys) headers['Surrogate-Key'] = keys.join(' ');
      const res = await purgeRequest(keys ? `${base}/purge` : `${base}/purge_all`, { method: 'POST', headers });
      await res.body?.cancel();
    },
  };
}
