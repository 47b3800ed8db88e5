import { purgeRequest } from './cdn.http.js';
import type { CdnTarget } from './cdn.queue.js';

/**
 * The key every object carries in the shipped VCL (docs/varnish.vcl), so that one purge drops
 * every page (after a change of the site's name or navigation).
 */
export const VARNISH_ALL_KEY = 'gazette:all';

/** Varnish with vmod xkey: `PURGE /` with the keys in `xkey-purge` (space-separated). */
export function varnishTarget(baseUrl: string): CdnTarget {
  return {
    name: `varnish ${baseUrl}`,
    // 200 keys of at most ~20 characters stay well under Varnish's 8 KB header limit.
    maxKeys: 200,
    async send(keys) {
      const res = await purgeRequest(`${baseUrl}/`, {
        method: 'PURGE',
        headers: { 'xkey-purge': keys ? keys.join(' ') : VARNISH_ALL_KEY },
      });
      await res.body?.cancel();
    },
  };
}
