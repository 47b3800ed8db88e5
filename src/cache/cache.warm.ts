import type { FastifyInstance } from 'fastify';
import { listPublished } from '../articles/article.repo.js';
import { articleUrl, sectionUrl } from '../articles/article.urls.js';
import { listSections } from '../sections/section.service.js';
import { proxyTrust } from '../web/security.js';

/** How many of the newest articles a starting process renders before readers ask for them. */
export const WARM_ARTICLES = 12;

/**
 * Renders the front of the site once, right after the process starts listening: the home page,
 * each section's first page and the newest articles. The first reader of each then gets a page
 * from the cache, and every later render runs code that is already compiled (a cold process
 * takes 100–170 ms over its first article page, against 2–4 ms once warm).
 *
 * Pages are cached under the address readers use: with a site URL in the settings, its host (and,
 * behind a trusted proxy, its scheme, as the proxy would forward them). Without one the renders
 * still warm the process, but readers' first requests render again under their own `Host`.
 *
 * One page at a time, in the background: readers' requests go first. Stops when the app closes.
 */
export async function warmPages(app: FastifyInstance, opts: { articles?: number; closing?: () => boolean } = {}): Promise<number> {
  const { db } = app.gazette;
  const [sections, latest] = await Promise.all([listSections(db), listPublished(db, { limit: opts.articles ?? WARM_ARTICLES })]);
  const paths = ['/', ...sections.map(sectionUrl), ...latest.map(articleUrl)];
  // Requests made here come from 127.0.0.1: forwarded headers count when that peer is trusted.
  const trusted = proxyTrust(app.gazette.config.trustProxy)('127.0.0.1', 0);
  const headers = { 'accept-encoding': 'br, gzip', ...readersHost((await app.gazette.settings()).siteUrl, trusted) };
  let rendered = 0;
  for (const url of paths) {
    if (opts.closing?.()) break;
    // Let waiting requests run between two renders.
    await new Promise((resolve) => setImmediate(resolve));
    const res = await app.inject({ method: 'GET', url, headers });
    if (res.statusCode === 200) rendered++;
  }
  return rendered;
}

/** The headers that make a request's cache key the one readers' requests have, for a site URL. */
function readersHost(siteUrl: string, trustProxy: boolean): Record<string, string> {
  if (!siteUrl) return {};
  let url: URL;
  try {
    url = new URL(siteUrl);
  } catch {
    return {};
  }
  return trustProxy
    ? { host: url.host, 'x-forwarded-host': url.host, 'x-forwarded-proto': url.protocol.replace(':', '') }
    : { host: url.host };
}
