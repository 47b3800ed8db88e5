import type { FastifyReply, FastifyRequest } from 'fastify';
import { articleUrl } from '../articles/article.urls.js';
import type { Executor } from '../events.js';
import type { ImportSource } from './import.model.js';

/**
 * WordPress short links: `/?p=123` (a post, or any page: WordPress answers both) and
 * `/?page_id=45` (a page), also under `/index.php`. The number is the old site's post id, which the
 * importer keeps in its map (`import_map`, source id → article id), so no redirect rows are made for
 * them: the front page's route asks here first.
 */
export const SHORT_LINK_PARAMS = ['p', 'page_id'] as const;

/** The address of the published article an import made of the old site's post (or page) `id`, if any. */
export async function importedArticleFor(
  db: Executor,
  source: ImportSource,
  kind: 'post' | 'page',
  id: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('import_map')
    .innerJoin('articles', 'articles.id', 'import_map.target_id')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.slug', 'sections.slug as sectionSlug'])
    .where('import_map.source', '=', source)
    .where('import_map.kind', '=', kind)
    .where('import_map.source_id', '=', id)
    .where('articles.status', '=', 'published')
    .executeTakeFirst();
  return row ? articleUrl({ slug: row.slug, section: { slug: row.sectionSlug } }) : undefined;
}

/** A query value that is an old post id: digits only, of a sensible length. */
function idOf(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && /^[1-9]\d{0,18}$/.test(v) ? v : undefined;
}

/**
 * Where a request for the front page with a WordPress short link goes: the imported article's
 * address, or undefined (no such parameter, not a number, or nothing imported under it: the front
 * page answers, as WordPress itself shows its front page for an unknown id).
 */
export async function shortLinkTarget(db: Executor, query: unknown): Promise<string | undefined> {
  if (!query || typeof query !== 'object') return undefined;
  const q = query as Record<string, unknown>;
  const p = idOf(q.p);
  const pageId = idOf(q.page_id);
  if (p) return (await importedArticleFor(db, 'wordpress', 'post', p)) ?? (await importedArticleFor(db, 'wordpress', 'page', p));
  if (pageId) return importedArticleFor(db, 'wordpress', 'page', pageId);
  return undefined;
}

/**
 * Answers `301` to the imported article when the front page (`/` or `/index.php`) is asked for
 * with a WordPress short link that maps to one; true when it answered. Kept by browsers no longer
 * than a page (the same short life as the redirects table's 301s).
 */
export async function sendShortLink(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const target = await shortLinkTarget(request.server.gazette.db, request.query);
  if (!target) return false;
  const { cacheMaxAge } = await request.server.gazette.settings();
  reply
    .code(301)
    .header('Location', target)
    .header('Cache-Control', `public, max-age=${Math.max(0, Math.floor(cacheMaxAge))}`)
    .type('text/plain; charset=utf-8')
    .send(`Moved permanently to ${target}`);
  return true;
}
