import type { Executor } from '../events.js';
import type { NarrationRow, NarrationTable } from './narration.table.js';

export async function findNarrationRow(db: Executor, articleId: number): Promise<NarrationRow | undefined> {
  return db.selectFrom('narrations').selectAll().where('article_id', '=', articleId).executeTakeFirst();
}

/** Sets the latest request's state, creating the row on the first request. */
export async function upsertNarration(db: Executor, articleId: number, changes: Partial<NarrationTable>, now = new Date()): Promise<void> {
  const nowIso = now.toISOString();
  const values = { ...changes, updated_at: nowIso };
  await db
    .insertInto('narrations')
    .values({ article_id: articleId, status: 'queued', segments: '[]', requested_at: nowIso, ...values })
    .onConflict((oc) => oc.column('article_id').doUpdateSet(values))
    .execute();
}

/** Other narrations that use any of these segments (a segment file is shared by equal paragraphs). */
export async function segmentsInUse(db: Executor, exceptArticleId: number, hashes: string[]): Promise<Set<string>> {
  const used = new Set<string>();
  if (hashes.length === 0) return used;
  let q = db.selectFrom('narrations').select('segments').where('article_id', '!=', exceptArticleId);
  q = q.where((eb) => eb.or(hashes.map((h) => eb('segments', 'like', `%${h}%`))));
  for (const row of await q.execute()) for (const h of JSON.parse(row.segments) as string[]) used.add(h);
  return used;
}

/** Published articles' ready narrations, newest first (the podcast feeds). */
export async function listReadyNarrations(db: Executor, opts: { sectionId?: number; limit: number }) {
  let q = db
    .selectFrom('narrations')
    .innerJoin('articles', 'articles.id', 'narrations.article_id')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'narrations.article_id as id',
      'narrations.file',
      'narrations.bytes',
      'narrations.duration_ms',
      'articles.slug',
      'articles.headline',
      'articles.standfirst',
      'articles.published_at',
      'sections.slug as section_slug',
      'sections.name as section_name',
    ])
    .where('articles.status', '=', 'published')
    .where('narrations.file', 'is not', null);
  if (opts.sectionId !== undefined) q = q.where('articles.section_id', '=', opts.sectionId);
  return q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(opts.limit).execute();
}
