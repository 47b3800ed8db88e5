import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { saveSettings } from '../settings/settings.service.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text } from '../web/request.parse.js';
import type { Point } from './analytics.charts.js';
import {
  authorViews,
  commentCounts,
  type DayRange,
  daySeries,
  hourSeries,
  readersNow,
  type Scope,
  scopeOf,
  sectionViews,
  siteDays,
  sources,
  topArticles,
  totals,
} from './analytics.repo.js';
import { dayOf } from './analytics.salt.js';
import { articleForStats, listensOf, rangeOf } from './analytics.service.js';
import { COUNTER_NAMES } from './analytics.table.js';
import { ArticleStatsPage, DashboardPage, type ShownRange, type TypedPrivacy } from './analytics.views.js';

const DAY_MS = 86_400_000;
const NOW_WINDOW_MS = 5 * 60_000;

/** Every day (or hour) of a range, with zero where nothing was counted. */
function filled(range: DayRange, rows: { at: string; views: number }[], hourly: boolean): Point[] {
  const byAt = new Map(rows.map((r) => [r.at, r.views]));
  const out: Point[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`) + DAY_MS;
  const step = hourly ? 3_600_000 : DAY_MS;
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t < end; t += step) {
    const at = new Date(t).toISOString().slice(0, hourly ? 13 : 10);
    out.push({ label: hourly ? `${at.slice(11)}:00` : at.slice(5), value: byAt.get(at) ?? 0 });
  }
  return out;
}

/** A range from the query; a bad one falls back to the default with its message (422). */
function pickRange(q: Record<string, string | undefined>, fallback?: () => ShownRange): { range: ShownRange; error?: AppError } {
  try {
    if (!q.range && !q.from && !q.to && fallback) return { range: fallback() };
    return { range: rangeOf(q) };
  } catch (error) {
    if (error instanceof AppError) return { range: fallback?.() ?? rangeOf({}), error };
    throw error;
  }
}

/** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
const cell = (v: string | number) => {
  const s = typeof v === 'number' ? String(v) : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) || s !== String(v) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (rows: (string | number)[][]) => `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;

function sendCsv(reply: FastifyReply, name: string, rows: (string | number)[][]) {
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${name}"`)
    .send(csv(rows));
}

/** /admin/analytics: the dashboard, the per-article page, live readers, CSV exports, the privacy settings. */
export async function analyticsRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const newsroom = requireRole('writer', 'editor', 'admin');
  const admins = requireRole('admin');

  const now = (scope: Scope) => readersNow(db, new Date(Date.now() - NOW_WINDOW_MS).toISOString(), scope);

  /** The dashboard; `refused` re-shows the privacy form with what was typed and why it was refused (422). */
  async function dashboard(
    request: FastifyRequest,
    reply: FastifyReply,
    flash?: string,
    refused?: { error: AppError; typed: TypedPrivacy },
  ) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const scope = scopeOf(actor);
    const { range, error } = pickRange(query(request));
    const today = dayOf(new Date());
    const yesterday = dayOf(new Date(Date.now() - DAY_MS));
    const dayFigures = async (day: string) => {
      if (scope.all) {
        const [row] = await siteDays(db, { from: day, to: day });
        return { views: row?.views ?? 0, visitors: row?.visitors ?? 0 };
      }
      const c = await totals(db, { from: day, to: day }, scope);
      return { views: c.views, visitors: c.visitors };
    };
    const [nowReaders, t, y, series, sum, top, src, sections, authors] = await Promise.all([
      now(scope),
      dayFigures(today),
      dayFigures(yesterday),
      scope.all ? siteDays(db, range).then((rows) => rows.map((r) => ({ at: r.day, views: r.views }))) : daySeries(db, range, scope),
      totals(db, range, scope),
      topArticles(db, range, scope, 20),
      sources(db, range, scope),
      sectionViews(db, range, scope),
      authorViews(db, range, scope),
    ]);
    const page = (
      <DashboardPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        flash={flash}
        data={{
          range,
          rangeError: error?.message,
          all: scope.all,
          now: nowReaders,
          today: t,
          yesterday: y,
          series: filled(range, series, false),
          totals: sum,
          averageShare: listensOf(sum).average_share,
          top,
          sources: src,
          sections,
          authors,
          privacy: actor.role === 'admin' ? settings : undefined,
          privacyTyped: refused?.typed,
          privacyError: refused && formError(refused.error),
        }}
      />
    );
    return sendHtml(reply, page, refused ? refused.error.status : error ? 422 : 200);
  }

  app.get('/admin/analytics', { preHandler: newsroom }, (request, reply) =>
    dashboard(request, reply, query(request).done === 'saved' ? 'Analytics settings saved.' : undefined),
  );

  app.get('/admin/analytics/now', { preHandler: newsroom }, async (request) => now(scopeOf(await actorOf(request))));

  app.get('/admin/analytics/export.csv', { preHandler: newsroom }, async (request, reply) => {
    const actor = await actorOf(request);
    const { range, error } = pickRange(query(request));
    if (error) throw error;
    const top = await topArticles(db, range, scopeOf(actor), 1000);
    return sendCsv(reply, `analytics-${range.from}-${range.to}.csv`, [
      ['article_id', 'headline', 'url', 'section', ...COUNTER_NAMES],
      ...top.map((a) => [a.id, a.headline, a.url, a.section, ...COUNTER_NAMES.map((c) => a[c])]),
    ]);
  });

  /** The article's range: the query's, else every day since publication (at most 400). */
  const articleRange = (request: FastifyRequest, publishedAt: string | null) =>
    pickRange(query(request), () => {
      const to = dayOf(new Date());
      const since = publishedAt ? publishedAt.slice(0, 10) : to;
      const floor = dayOf(new Date(Date.now() - 399 * DAY_MS));
      // ISO days sort as text: the latest of the publication day and the floor, never after today.
      const [from] = [[since, floor].sort()[1], to].sort();
      return { from, to, preset: 'custom' };
    });

  app.get<{ Params: { id: string } }>('/admin/analytics/articles/:id', { preHandler: newsroom }, async (request, reply) => {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const article = await articleForStats(db, actor, idParam(request.params.id, 'There is no such article.'));
    const { range, error } = articleRange(request, article.published_at);
    const hourly = Date.parse(range.to) - Date.parse(range.from) < 2 * DAY_MS;
    const all = { all: true } as const;
    const [sum, series, src, comments] = await Promise.all([
      totals(db, range, all, article.id),
      hourly ? hourSeries(db, range, article.id) : daySeries(db, range, all, article.id),
      sources(db, range, all, article.id),
      commentCounts(db, article.id, range),
    ]);
    return sendHtml(
      reply,
      <ArticleStatsPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        data={{
          article,
          range,
          rangeError: error?.message,
          series: filled(range, series, hourly),
          hourly,
          totals: sum,
          averageShare: listensOf(sum).average_share,
          sources: src,
          comments,
        }}
      />,
      error ? 422 : 200,
    );
  });

  app.get<{ Params: { id: string } }>('/admin/analytics/articles/:id/export.csv', { preHandler: newsroom }, async (request, reply) => {
    const actor = await actorOf(request);
    const article = await articleForStats(db, actor, idParam(request.params.id, 'There is no such article.'));
    const { range, error } = articleRange(request, article.published_at);
    if (error) throw error;
    const rows = await daySeries(db, range, { all: true }, article.id);
    return sendCsv(reply, `article-${article.id}-${range.from}-${range.to}.csv`, [
      ['day', ...COUNTER_NAMES],
      ...rows.map((r) => [r.at, ...COUNTER_NAMES.map((c) => r[c])]),
    ]);
  });

  app.post('/admin/analytics/settings', { preHandler: admins }, async (request, reply) => {
    const b = formBody(request);
    const typed: TypedPrivacy = { privacySignals: text(b.privacySignals, 20), retentionDays: text(b.retentionDays, 10) };
    const signals = typed.privacySignals;
    const days = typed.retentionDays.trim();
    const refuse = (field: keyof TypedPrivacy, message: string) =>
      dashboard(request, reply, undefined, { error: new AppError('invalid', message, field), typed });
    if (signals !== 'skip' && signals !== 'anonymous') return refuse('privacySignals', 'Choose how privacy signals are honoured.');
    if (!/^\d{1,3}$/.test(days) || Number(days) < 1 || Number(days) > 400) {
      return refuse('retentionDays', 'Keep raw beacons between 1 and 400 days.');
    }
    await db.transaction().execute((trx) => saveSettings(trx, { analyticsPrivacySignals: signals, analyticsRetentionDays: Number(days) }));
    app.gazette.invalidateSettings();
    return reply.redirect('/admin/analytics?done=saved', 303);
  });
}
