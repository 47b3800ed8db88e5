import { owns } from '../articles/article.rules.js';
import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import type { Actor } from '../users/user.table.js';
import { type DayRange, scopeOf, sources, totals } from './analytics.repo.js';
import { dayOf } from './analytics.salt.js';
import type { Counters } from './analytics.table.js';

/** The longest range a report covers. */
const MAX_DAYS = 400;
const DAY_MS = 86_400_000;

export const PRESETS = ['today', '7d', '30d'] as const;
export type Preset = (typeof PRESETS)[number] | 'custom';

function parseDay(raw: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const d = m ? new Date(`${raw}T00:00:00Z`) : null;
  if (!m || !d || Number.isNaN(d.getTime()) || dayOf(d) !== raw) {
    throw new AppError('invalid', `"${field}" must be a date written YYYY-MM-DD.`, field);
  }
  return raw;
}

/**
 * The days a report covers: a preset (today, 7 or 30 days up to today) or `from`/`to`. Missing
 * dates default to the last 30 days; a malformed, reversed or over-long range is refused (422).
 */
export function rangeOf(q: { range?: string; from?: string; to?: string }, now = new Date()): DayRange & { preset: Preset } {
  const today = dayOf(now);
  const back = (days: number) => dayOf(new Date(now.getTime() - days * DAY_MS));
  const preset = (PRESETS as readonly string[]).includes(q.range ?? '');
  if (!preset && (q.from || q.to || q.range === 'custom')) {
    const to = q.to ? parseDay(q.to, 'to') : today;
    const from = q.from ? parseDay(q.from, 'from') : dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
    if (from > to) throw new AppError('invalid', '"from" must not be after "to".', 'from');
    if (Date.parse(to) - Date.parse(from) > MAX_DAYS * DAY_MS)
      throw new AppError('invalid', `A report covers at most ${MAX_DAYS} days.`, 'from');
    return { from, to, preset: 'custom' };
  }
  if (q.range === 'today') return { from: today, to: today, preset: 'today' };
  if (q.range === '7d') return { from: back(6), to: today, preset: '7d' };
  if (q.range !== undefined && q.range !== '' && q.range !== '30d') {
    throw new AppError('invalid', '"range" is today, 7d, 30d or custom.', 'range');
  }
  return { from: back(29), to: today, preset: '30d' };
}

/** The article an actor may see figures of: editors and admins any, writers their own (another's is refused, 403; a missing one 404). */
export async function articleForStats(db: Executor, actor: Actor, id: number) {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.headline',
      'articles.slug',
      'articles.status',
      'articles.published_at',
      'articles.created_by',
      'articles.created_by_token',
      'sections.slug as section_slug',
    ])
    .where('articles.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'There is no such article.');
  const allowed = actor.role === 'editor' || actor.role === 'admin' || (actor.role === 'writer' && owns(actor, row));
  if (!allowed) throw new AppError('forbidden', 'Writers see the figures of their own articles only.');
  return { ...row, url: `/${row.section_slug}/${row.slug}` };
}

/** Depth reached: how many readers got to each quarter of the body. */
export const depthOf = (c: Counters) => ({ '25': c.depth25, '50': c.depth50, '75': c.depth75, '100': c.depth100 });

/**
 * Listens: how many started, how many reached each quarter, and the average share listened
 * (each listen counted at the last quarter it reached).
 */
export function listensOf(c: Counters) {
  const reached = c.listen25 + c.listen50 + c.listen75 + c.listen100;
  return {
    started: c.listens,
    '25': c.listen25,
    '50': c.listen50,
    '75': c.listen75,
    '100': c.listen100,
    average_share: c.listens > 0 ? Math.min(1, Math.round((reached * 0.25 * 1000) / c.listens) / 1000) : 0,
  };
}

/** The figures of one article over a range, as the API answers them. */
export async function articleStats(db: Executor, articleId: number, range: DayRange) {
  const scope = { all: true } as const;
  const [c, src] = await Promise.all([totals(db, range, scope, articleId), sources(db, range, scope, articleId)]);
  return {
    id: articleId,
    from: range.from,
    to: range.to,
    views: c.views,
    visitors: c.visitors,
    engaged_seconds: c.engaged_seconds,
    average_engaged_seconds: c.views > 0 ? Math.round(c.engaged_seconds / c.views) : 0,
    depth: depthOf(c),
    listens: listensOf(c),
    sources: src,
    shares: c.shares,
    comments: { opened: c.comment_opens, submitted: c.comment_sends },
    signups: c.signups,
  };
}

export { scopeOf };
