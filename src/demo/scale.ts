import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import { refreshStatistics } from '../db/statistics.js';
import { recordEvent } from '../events.js';
import { compactSearchIndex } from '../search/search.index.js';
import { ensureSection, listSections } from '../sections/section.service.js';
import { random } from './random.js';

/**
 * Synthetic volume for measuring Gazette at scale: N published articles spread over the past
 * years, bylines, tags, search index rows and about ten comments each (nine approved, one
 * pending), written with multi-row inserts in large transactions. The content is
 * deterministic for a given N, so runs can be compared. These articles keep no revision: a
 * snapshot of each made the bulk load markedly slower, and the first edit of any article without
 * one keeps its earlier state as revision 1 anyway (revision.service.ts `baselineOf`).
 */
export interface ScaleOptions {
  articles: number;
  commentsPerArticle?: number;
  /** Progress after each batch (articles written so far). */
  onProgress?: (done: number) => void;
  now?: Date;
}

// A newsroom's vocabulary: a few hundred common words and thousands of rarer ones, drawn with a
// Zipf-like skew, so search and "More in" see realistic term frequencies rather than every
// article containing every word.
const COMMON =
  'said year people new would week time first last two three also after over more some other about into when while where because could'.split(
    ' ',
  );
const SYLLABLES = [
  'har',
  'bor',
  'tin',
  'vel',
  'mar',
  'sto',
  'len',
  'qua',
  'dri',
  'pel',
  'son',
  'ka',
  'ri',
  'mo',
  'tes',
  'an',
  'gel',
  'ru',
  'vi',
  'nor',
];
const RARE = Array.from({ length: 6000 }, (_, i) => {
  const a = SYLLABLES[i % 20];
  const b = SYLLABLES[Math.floor(i / 20) % 20];
  const c = SYLLABLES[Math.floor(i / 400) % 20];
  return `${a}${b}${c}`;
});

const SECTIONS = ['Politics', 'Business', 'Science', 'Culture', 'Sport', 'World'];
const AUTHORS = 120;
const TAGS = 400;
const BATCH = 500;
const COMMENT_BATCH = 1500;

function words(rnd: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // Half the words are common ones; the rest skew towards the front of the rare list.
    out.push(rnd() < 0.5 ? COMMON[Math.floor(rnd() * COMMON.length)] : RARE[Math.floor(RARE.length * rnd() ** 3)]);
  }
  return out.join(' ');
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

async function ensureNamed(db: Kysely<Database>, table: 'people' | 'tags', prefix: string, count: number): Promise<number[]> {
  const existing = await db.selectFrom(table).select(['id', 'slug']).where('slug', 'like', `${prefix}-%`).execute();
  const have = new Map(existing.map((r) => [r.slug, r.id]));
  const missing = [];
  for (let i = 1; i <= count; i++) if (!have.has(`${prefix}-${i}`)) missing.push(i);
  const now = new Date().toISOString();
  for (let i = 0; i < missing.length; i += BATCH) {
    const chunk = missing.slice(i, i + BATCH);
    const rows =
      table === 'people'
        ? chunk.map((n) => ({ slug: `${prefix}-${n}`, name: `Staff Writer ${n}`, bio: '', created_at: now }))
        : chunk.map((n) => ({ slug: `${prefix}-${n}`, name: `Topic ${n}` }));
    const inserted = await db
      .insertInto(table as 'tags')
      .values(rows as never)
      .returning(['id', 'slug'])
      .execute();
    for (const r of inserted) have.set(r.slug, r.id);
  }
  return [...have.values()];
}

export async function generateScale(db: Kysely<Database>, opts: ScaleOptions): Promise<{ articles: number; comments: number }> {
  const pg = dialectOf(db) === 'postgres';
  const commentsPerArticle = opts.commentsPerArticle ?? 10;
  const now = opts.now ?? new Date();
  const sections = await db.transaction().execute(async (trx) => {
    for (const name of SECTIONS) await ensureSection(trx, { name });
    return listSections(trx);
  });
  const authorIds = await ensureNamed(db, 'people', 'scale-author', AUTHORS);
  const tagIds = await ensureNamed(db, 'tags', 'scale-topic', TAGS);
  const first = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('slug', 'like', 'scale-%')
    .executeTakeFirst();
  const offset = Number(first?.n ?? 0);
  const rnd = random(offset + 1);
  // Fifty articles a day, newest now: a million articles reach back about 55 years.
  const stepMs = (24 * 3600 * 1000) / 50;
  let comments = 0;
  for (let start = 0; start < opts.articles; start += BATCH) {
    const count = Math.min(BATCH, opts.articles - start);
    await db.transaction().execute(async (trx) => {
      const rows = [];
      for (let i = 0; i < count; i++) {
        const n = offset + start + i + 1;
        const headline = `${capital(words(rnd, 6))} ${n}`;
        const standfirst = `${capital(words(rnd, 18))}.`;
        const paragraphs = [words(rnd, 40), words(rnd, 40), words(rnd, 30)].map((p) => `${capital(p)}.`);
        const at = new Date(now.getTime() - (opts.articles - start - i) * stepMs).toISOString();
        rows.push({
          slug: `scale-${n}`,
          section_id: sections[n % sections.length].id,
          headline,
          standfirst,
          body_md: paragraphs.join('\n\n'),
          body_html: paragraphs.map((p) => `<p>${p}</p>`).join('\n'),
          word_count: 110,
          status: 'published' as const,
          published_at: at,
          updated_at: null,
          comments_open: 1,
          hero_media_id: null,
          hero_alt: '',
          hero_caption: '',
          hero_credit: '',
          created_at: at,
          modified_at: at,
        });
      }
      const ids = (await trx.insertInto('articles').values(rows).returning('id').execute()).map((r) => r.id);
      const authorRows = ids.map((article_id, i) => ({ article_id, person_id: authorIds[(start + i) % authorIds.length], position: 0 }));
      await trx.insertInto('article_authors').values(authorRows).execute();
      const tagRows = ids.flatMap((article_id, i) => {
        const a = tagIds[Math.floor(rnd() * tagIds.length)];
        const b = tagIds[(start + i) % tagIds.length];
        return a === b
          ? [{ article_id, tag_id: a }]
          : [
              { article_id, tag_id: a },
              { article_id, tag_id: b },
            ];
      });
      await trx.insertInto('article_tags').values(tagRows).execute();
      await indexRows(trx, pg, ids, rows);
      comments += await insertComments(trx, ids, rows, commentsPerArticle, rnd);
    });
    opts.onProgress?.(start + count);
  }
  // One event for the whole load: running servers drop every cached page (navigation may have changed).
  await db.transaction().execute((trx) => recordEvent(trx, 'section.changed', null, { scale: opts.articles }));
  return { articles: opts.articles, comments };
}

type Row = { section_id: number; headline: string; standfirst: string; body_md: string; published_at: string };

/** The search index rows, written the way the search module writes them (same transaction). */
async function indexRows(trx: Kysely<Database>, pg: boolean, ids: number[], rows: Row[]) {
  const values = ids.map(
    (id, i) => sql`(${id}, ${rows[i].headline}, ${rows[i].standfirst}, ${rows[i].body_md}, '', '', ${rows[i].section_id})`,
  );
  const [key, section] = pg ? [sql.raw('article_id'), sql.raw('section_id')] : [sql.raw('rowid'), sql.raw('section')];
  await sql`INSERT INTO article_search (${key}, headline, standfirst, body, tags, authors, ${section}) VALUES ${sql.join(values)}`.execute(
    trx,
  );
}

async function insertComments(trx: Kysely<Database>, ids: number[], rows: Row[], perArticle: number, rnd: () => number): Promise<number> {
  if (perArticle <= 0) return 0;
  const all = [];
  for (let a = 0; a < ids.length; a++) {
    const base = Date.parse(rows[a].published_at);
    for (let c = 0; c < perArticle; c++) {
      const at = new Date(base + (c + 1) * 600_000).toISOString();
      const body = `${capital(words(rnd, 12))}.`;
      all.push({
        article_id: ids[a],
        parent_id: null,
        root_id: null,
        depth: 0,
        commenter_id: null,
        name: `Reader ${Math.floor(rnd() * 5000)}`,
        body,
        body_hash: `scale-${ids[a]}-${c}`,
        status: c === perArticle - 1 ? 'pending' : 'approved',
        reasons: '[]',
        spam_score: null,
        trained_as: null,
        ip_hash: null,
        source: 'api' as const,
        open_reports: 0,
        reject_reason: null,
        created_at: at,
        moderated_at: c === perArticle - 1 ? null : at,
      });
    }
  }
  for (let i = 0; i < all.length; i += COMMENT_BATCH) {
    await trx
      .insertInto('comments')
      .values(all.slice(i, i + COMMENT_BATCH) as never)
      .execute();
  }
  // A top-level comment is its own thread root.
  await trx.updateTable('comments').set({ root_id: sql`id` }).where('article_id', 'in', ids).where('root_id', 'is', null).execute();
  return all.length;
}

/** `gazette demo --scale N`: the demo newsroom (when the database is empty) plus N synthetic articles. */
export async function scaleCommand(db: Kysely<Database>, value: string, mediaRoot: string): Promise<number> {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
    console.error(`gazette demo: --scale takes a number of articles from 1 to 10000000, got "${value}"`);
    return 1;
  }
  const { isEmpty, loadDemo } = await import('./demo.service.js');
  if (await isEmpty(db)) await loadDemo(db, { mediaRoot });
  const started = Date.now();
  let last = 0;
  const result = await generateScale(db, {
    articles: n,
    onProgress: (done) => {
      if (Date.now() - last > 5000) {
        last = Date.now();
        console.error(`  ${done} / ${n} articles…`);
      }
    },
  });
  await compactSearchIndex(db);
  // A bulk load leaves the planner's statistics describing the small tables of before (PostgreSQL's
  // autovacuum would catch up later, if it runs; SQLite has none until asked): gather them now.
  if (dialectOf(db) === 'postgres') await sql`ANALYZE`.execute(db);
  await refreshStatistics(db);
  const seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify({ articles: result.articles, comments: result.comments, seconds: Math.round(seconds * 10) / 10 }));
  return 0;
}
