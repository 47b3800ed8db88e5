import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../events.js';
import type { Actor } from '../users/user.table.js';
import { COUNTER_NAMES, type Counters } from './analytics.table.js';

/** Inclusive UTC days, `YYYY-MM-DD`. */
export interface DayRange {
  from: string;
  to: string;
}

/** Whose articles a query may see: everything, or a writer's own. */
export type Scope = { all: true } | { all: false; userId: number | null; tokenId?: number };

export const scopeOf = (actor: Actor): Scope =>
  actor.role === 'writer' ? { all: false, userId: actor.userId, tokenId: actor.tokenId } : { all: true };

/** Restricts `article_id` of a query's rows to the articles the scope may see. */
function scoped<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, scope: Scope, column = 'article_id'): QB {
  if (scope.all) return qb;
  return qb.where(column as never, 'in', (eb: any) =>
    eb
      .selectFrom('articles')
      .select('id')
      .where((w: any) =>
        w.or([
          w('created_by', '=', scope.userId ?? -1),
          ...(scope.userId === null && scope.tokenId !== undefined ? [w('created_by_token', '=', scope.tokenId)] : []),
        ]),
      ),
  ) as QB;
}

const sums = (eb: any, prefix = '') => COUNTER_NAMES.map((c) => eb.fn.coalesce(eb.fn.sum(`${prefix}${c}`), sql.lit(0)).as(c));

const numbers = (row: Record<string, unknown> | undefined): Counters =>
  Object.fromEntries(COUNTER_NAMES.map((c) => [c, Number(row?.[c] ?? 0)])) as unknown as Counters;

/** The counters of one article (or of every article in scope) over days. */
export async function totals(db: Executor, range: DayRange, scope: Scope, articleId?: number): Promise<Counters> {
  let q = db
    .selectFrom('analytics_daily')
    .select((eb) => sums(eb))
    .where('day', '>=', range.from)
    .where('day', '<=', range.to);
  if (articleId !== undefined) q = q.where('article_id', '=', articleId);
  else if (!scope.all) q = scoped(q, scope);
  return numbers(await q.executeTakeFirst());
}

/** Site-wide views and visitors (every page, one visitor counted once a day) per day. */
export async function siteDays(db: Executor, range: DayRange): Promise<{ day: string; views: number; visitors: number }[]> {
  const rows = await db
    .selectFrom('analytics_days')
    .select(['day', 'views', 'visitors'])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: r.day, views: Number(r.views), visitors: Number(r.visitors) }));
}

/** Views and visitors per day for articles in scope (or one article). */
export async function daySeries(db: Executor, range: DayRange, scope: Scope, articleId?: number) {
  let q = db
    .selectFrom('analytics_daily')
    .select((eb) => ['day', ...sums(eb)])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('day')
    .orderBy('day');
  if (articleId !== undefined) q = q.where('article_id', '=', articleId);
  else if (!scope.all) q = scoped(q, scope);
  const rows = await q.execute();
  return rows.map((r: any) => ({ at: String(r.day), ...numbers(r) }));
}

/** Views and visitors per hour of one article. */
export async function hourSeries(db: Executor, range: DayRange, articleId: number) {
  const rows = await db
    .selectFrom('analytics_hourly')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('hour', '>=', range.from)
    .where('hour', '<', `${range.to}U`)
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ at: r.hour, ...numbers(r as never) }));
}

/** Page views by source, most first. */
export async function sources(db: Executor, range: DayRange, scope: Scope, articleId?: number) {
  let q = db
    .selectFrom('analytics_sources')
    .select((eb) => ['source', eb.fn.sum<number>('views').as('views')])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('source')
    .orderBy('views', 'desc')
    .orderBy('source');
  if (articleId !== undefined) q = q.where('article_id', '=', articleId);
  else if (!scope.all) q = scoped(q, scope);
  const rows = await q.execute();
  return rows.map((r) => ({ source: r.source, views: Number(r.views) }));
}

export interface TopArticle extends Counters {
  id: number;
  headline: string;
  url: string;
  section: string;
}

/** The most-read articles of a range. */
export async function topArticles(db: Executor, range: DayRange, scope: Scope, limit = 20): Promise<TopArticle[]> {
  let q = db
    .selectFrom('analytics_daily as d')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select((eb) => ['a.id', 'a.headline', 'a.slug', 's.slug as section_slug', 's.name as section', ...sums(eb, 'd.')])
    .where('d.day', '>=', range.from)
    .where('d.day', '<=', range.to)
    .groupBy(['a.id', 'a.headline', 'a.slug', 's.slug', 's.name'])
    .orderBy(sql`sum(d.views)`, 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit);
  if (!scope.all) q = scoped(q, scope, 'd.article_id');
  const rows = await q.execute();
  return rows.map((r: any) => ({
    id: Number(r.id),
    headline: String(r.headline),
    url: `/${r.section_slug}/${r.slug}`,
    section: String(r.section),
    ...numbers(r),
  }));
}

/** Views per section. */
export async function sectionViews(db: Executor, range: DayRange, scope: Scope) {
  let q = db
    .selectFrom('analytics_daily as d')
    .innerJoin('articles as a', 'a.id', 'd.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select((eb) => ['s.name as name', eb.fn.sum<number>('d.views').as('views'), eb.fn.sum<number>('d.listens').as('listens')])
    .where('d.day', '>=', range.from)
    .where('d.day', '<=', range.to)
    .groupBy('s.name')
    .orderBy('views', 'desc')
    .orderBy('s.name');
  if (!scope.all) q = scoped(q, scope, 'd.article_id');
  const rows = await q.execute();
  return rows.map((r) => ({ name: r.name, views: Number(r.views), listens: Number(r.listens) }));
}

/** Views per bylined author (an article with two authors counts for both). */
export async function authorViews(db: Executor, range: DayRange, scope: Scope) {
  let q = db
    .selectFrom('analytics_daily as d')
    .innerJoin('article_authors as aa', 'aa.article_id', 'd.article_id')
    .innerJoin('people as p', 'p.id', 'aa.person_id')
    .select((eb) => ['p.name as name', eb.fn.sum<number>('d.views').as('views'), eb.fn.sum<number>('d.listens').as('listens')])
    .where('d.day', '>=', range.from)
    .where('d.day', '<=', range.to)
    .groupBy('p.name')
    .orderBy('views', 'desc')
    .orderBy('p.name')
    .limit(20);
  if (!scope.all) q = scoped(q, scope, 'd.article_id');
  const rows = await q.execute();
  return rows.map((r) => ({ name: r.name, views: Number(r.views), listens: Number(r.listens) }));
}

/** Readers seen since `since` (today's visitor hashes), by article, and on the whole site. */
export async function readersNow(db: Executor, since: string, scope: Scope) {
  let q = db
    .selectFrom('analytics_visitors as v')
    .innerJoin('articles as a', 'a.id', 'v.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select((eb) => ['a.id', 'a.headline', 'a.slug', 's.slug as section_slug', eb.fn.countAll<number>().as('readers')])
    .where('v.bucket', 'like', 'a:%')
    .where('v.seen_at', '>=', since)
    .groupBy(['a.id', 'a.headline', 'a.slug', 's.slug'])
    .orderBy('readers', 'desc')
    .orderBy('a.id', 'desc')
    .limit(20);
  if (!scope.all) q = scoped(q, scope, 'v.article_id');
  const rows = await q.execute();
  const site = await db
    .selectFrom('analytics_visitors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bucket', 'like', 'd:%')
    .where('seen_at', '>=', since)
    .executeTakeFirst();
  return {
    site: scope.all ? Number(site?.n ?? 0) : rows.reduce((n, r) => n + Number(r.readers), 0),
    articles: rows.map((r) => ({
      id: Number(r.id),
      headline: r.headline,
      url: `/${r.section_slug}/${r.slug}`,
      readers: Number(r.readers),
    })),
  };
}

/** Approved and all comments of an article written in a range. */
export async function commentCounts(db: Executor, articleId: number, range: DayRange) {
  const rows = await db
    .selectFrom('comments')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('article_id', '=', articleId)
    .where('created_at', '>=', range.from)
    .where('created_at', '<', `${range.to}U`)
    .groupBy('status')
    .execute();
  const all = rows.reduce((n, r) => n + Number(r.n), 0);
  return { written: all, approved: Number(rows.find((r) => r.status === 'approved')?.n ?? 0) };
}
