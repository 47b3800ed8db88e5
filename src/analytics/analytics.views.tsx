import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { BarChart, ColumnChart, type Point } from './analytics.charts.js';
import type { DayRange, TopArticle } from './analytics.repo.js';
import type { Preset } from './analytics.service.js';
import type { Counters } from './analytics.table.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  flash?: string;
}

export type ShownRange = DayRange & { preset: Preset };

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)} %` : '—');
const seconds = (n: number) => (n >= 60 ? `${Math.floor(n / 60)} min ${n % 60} s` : `${n} s`);

/** The query string of a range, for links (CSV export, presets). */
export function rangeQuery(r: ShownRange): string {
  return r.preset === 'custom' ? `range=custom&from=${r.from}&to=${r.to}` : `range=${r.preset}`;
}

const PRESET_LABELS: [Preset, string][] = [
  ['today', 'Today'],
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['custom', 'Custom'],
];

/** The date-range picker: presets and a custom from/to, a plain GET form (no script needed). */
function RangePicker(props: { action: string; range: ShownRange; error?: string }) {
  const r = props.range;
  return (
    <form method="get" action={props.action} class="filters analytics-range" aria-label="Date range">
      <fieldset>
        <legend>Dates (UTC)</legend>
        {PRESET_LABELS.map(([value, label]) => (
          <label key={value} class="inline">
            <input type="radio" name="range" value={value} checked={r.preset === value} /> {label}
          </label>
        ))}
        <label for="range-from">From</label>
        <input id="range-from" type="date" name="from" value={r.preset === 'custom' ? r.from : ''} />
        <label for="range-to">To</label>
        <input id="range-to" type="date" name="to" value={r.preset === 'custom' ? r.to : ''} />
        <button type="submit">Show</button>
      </fieldset>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <p class="hint">
        Showing {r.from === r.to ? r.from : `${r.from} to ${r.to}`}.{' '}
        <a href={`${props.action.replace(/\/$/, '')}/export.csv?${rangeQuery(r)}`} download>
          Download CSV
        </a>
      </p>
    </form>
  );
}

export interface NowReaders {
  site: number;
  articles: { id: number; headline: string; url: string; readers: number }[];
}

function Now(props: { now: NowReaders; all: boolean }) {
  return (
    <section class="panel" aria-labelledby="now-title" data-analytics-now="/admin/analytics/now">
      <h2 id="now-title">Now</h2>
      <p>
        <strong data-now-total>{fmt(props.now.site)}</strong> {props.all ? 'readers on the site' : 'readers on your articles'} in the last 5
        minutes.
      </p>
      <ol data-now-list>
        {props.now.articles.map((a) => (
          <li key={a.id}>
            <a href={`/admin/analytics/articles/${a.id}`}>{a.headline}</a> — {fmt(a.readers)}
          </li>
        ))}
      </ol>
      <p class="hint">Refreshed every 15 seconds while this page is open (reload the page without JavaScript).</p>
    </section>
  );
}

function TodayVsYesterday(props: { today: { views: number; visitors: number }; yesterday: { views: number; visitors: number } }) {
  const delta = (a: number, b: number) => (b > 0 ? `${a >= b ? '+' : ''}${Math.round(((a - b) / b) * 100)} %` : '—');
  return (
    <section class="panel" aria-labelledby="today-title">
      <h2 id="today-title">Today and yesterday</h2>
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Today</th>
            <th scope="col">Yesterday</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Page views</th>
            <td data-today-views>{fmt(props.today.views)}</td>
            <td>{fmt(props.yesterday.views)}</td>
            <td>{delta(props.today.views, props.yesterday.views)}</td>
          </tr>
          <tr>
            <th scope="row">Visitors</th>
            <td data-today-visitors>{fmt(props.today.visitors)}</td>
            <td>{fmt(props.yesterday.visitors)}</td>
            <td>{delta(props.today.visitors, props.yesterday.visitors)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

const depthPoints = (c: Counters): Point[] => [
  { label: '25 %', value: c.depth25 },
  { label: '50 %', value: c.depth50 },
  { label: '75 %', value: c.depth75 },
  { label: 'The end', value: c.depth100 },
];
const listenPoints = (c: Counters): Point[] => [
  { label: 'Started', value: c.listens },
  { label: '25 %', value: c.listen25 },
  { label: '50 %', value: c.listen50 },
  { label: '75 %', value: c.listen75 },
  { label: 'The end', value: c.listen100 },
];

function NamedViews(props: { id: string; title: string; rows: { name: string; views: number; listens: number }[] }) {
  return (
    <section class="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.rows.length ? (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Views</th>
              <th scope="col">Listens</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td>{fmt(r.views)}</td>
                <td>{fmt(r.listens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">No views in these days.</p>
      )}
    </section>
  );
}

export interface DashboardData {
  range: ShownRange;
  rangeError?: string;
  all: boolean;
  now: NowReaders;
  today: { views: number; visitors: number };
  yesterday: { views: number; visitors: number };
  series: Point[];
  totals: Counters;
  averageShare: number;
  top: TopArticle[];
  sources: { source: string; views: number }[];
  sections: { name: string; views: number; listens: number }[];
  authors: { name: string; views: number; listens: number }[];
  privacy?: Pick<SiteSettings, 'analyticsPrivacySignals' | 'analyticsRetentionDays'>;
  /** What an administrator typed in the privacy form when it was refused, and why. */
  privacyTyped?: TypedPrivacy;
  privacyError?: FormError;
}

/** The privacy form's fields as typed (kept as text when a value is refused). */
export interface TypedPrivacy {
  privacySignals: string;
  retentionDays: string;
}

/** /admin/analytics: the newsroom's view of its readers. */
export function DashboardPage(props: Common & { data: DashboardData }) {
  const d = props.data;
  const t = d.totals;
  return (
    <AdminLayout
      title="Analytics"
      siteName={props.siteName}
      actor={props.actor}
      csrf={props.csrf}
      current="/admin/analytics"
      scripts={['newsroom.js']}
    >
      <h1>Analytics</h1>
      <p class="hint">
        {d.all ? 'Every page of the site.' : 'Your own articles.'} Counted without cookies: a visitor is recognised for one day only.
      </p>
      <Flash message={props.flash} />
      <ErrorSummary error={d.privacyError} />
      <Now now={d.now} all={d.all} />
      <TodayVsYesterday today={d.today} yesterday={d.yesterday} />
      <RangePicker action="/admin/analytics" range={d.range} error={d.rangeError} />
      <section class="panel" aria-labelledby="totals-title">
        <h2 id="totals-title">In these days</h2>
        <dl class="analytics-totals">
          <dt>Page views</dt>
          <dd data-total-views>{fmt(t.views)}</dd>
          <dt>Visitors (daily, summed)</dt>
          <dd>{fmt(t.visitors)}</dd>
          <dt>Average engaged time</dt>
          <dd>{seconds(t.views > 0 ? Math.round(t.engaged_seconds / t.views) : 0)}</dd>
          <dt>Read to the end</dt>
          <dd>{pct(t.depth100, t.views)}</dd>
          <dt>Listens</dt>
          <dd data-total-listens>{fmt(t.listens)}</dd>
          <dt>Average share listened</dt>
          <dd>{t.listens > 0 ? `${Math.round(d.averageShare * 100)} %` : '—'}</dd>
        </dl>
      </section>
      <ColumnChart
        id="views-chart"
        title="Page views per day"
        desc={`Page views from ${d.range.from} to ${d.range.to}.`}
        unit="views"
        points={d.series}
      />
      <section class="panel" aria-labelledby="top-title">
        <h2 id="top-title">Top articles</h2>
        {d.top.length ? (
          <div class="table-wrap">
            <table class="admin-table" data-top-articles>
              <thead>
                <tr>
                  <th scope="col">Article</th>
                  <th scope="col">Section</th>
                  <th scope="col">Views</th>
                  <th scope="col">Visitors</th>
                  <th scope="col">Engaged</th>
                  <th scope="col">To the end</th>
                  <th scope="col">Listens</th>
                </tr>
              </thead>
              <tbody>
                {d.top.map((a) => (
                  <tr key={a.id} data-article={a.id}>
                    <th scope="row">
                      <a href={`/admin/analytics/articles/${a.id}`}>{a.headline}</a>
                    </th>
                    <td>{a.section}</td>
                    <td data-views>{fmt(a.views)}</td>
                    <td>{fmt(a.visitors)}</td>
                    <td>{seconds(a.views > 0 ? Math.round(a.engaged_seconds / a.views) : 0)}</td>
                    <td>{pct(a.depth100, a.views)}</td>
                    <td>{fmt(a.listens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="empty">No article was read in these days.</p>
        )}
      </section>
      <BarChart
        id="sources-chart"
        title="Where readers came from"
        desc="Page views by source."
        unit="views"
        points={d.sources.map((s) => ({ label: s.source, value: s.views }))}
      />
      <BarChart
        id="depth-chart"
        title="How far readers read"
        desc="Readers who reached each part of an article."
        unit="readers"
        points={depthPoints(t)}
      />
      <BarChart id="listens-chart" title="Listens" desc="Listens started and how far they went." unit="listens" points={listenPoints(t)} />
      <NamedViews id="sections-title" title="Sections" rows={d.sections} />
      <NamedViews id="authors-title" title="Authors" rows={d.authors} />
      {d.privacy ? (
        <PrivacyForm
          csrf={props.csrf}
          typed={
            d.privacyTyped ?? {
              privacySignals: d.privacy.analyticsPrivacySignals,
              retentionDays: String(d.privacy.analyticsRetentionDays),
            }
          }
          error={d.privacyError}
        />
      ) : null}
    </AdminLayout>
  );
}

/** The administrators' analytics settings: privacy signals and how long raw beacons are kept. */
function PrivacyForm(props: { csrf: string; typed: TypedPrivacy; error?: FormError }) {
  const t = props.typed;
  const bad = (field: keyof TypedPrivacy) => props.error?.field === field;
  return (
    <form method="post" action="/admin/analytics/settings" class="panel" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy settings</h2>
      <CsrfField token={props.csrf} />
      <fieldset
        id="f-privacySignals"
        tabIndex={-1}
        aria-invalid={bad('privacySignals') ? 'true' : undefined}
        aria-describedby={bad('privacySignals') ? 'privacySignals-error' : undefined}
      >
        <legend>Browsers that send “Do Not Track” or “Global Privacy Control”</legend>
        <label class="inline">
          <input type="radio" name="privacySignals" value="skip" checked={t.privacySignals === 'skip'} /> Not counted at all
        </label>
        <label class="inline">
          <input type="radio" name="privacySignals" value="anonymous" checked={t.privacySignals === 'anonymous'} /> Counted, never as a
          visitor
        </label>
        <FieldError error={props.error} field="privacySignals" />
      </fieldset>
      <div class="field">
        <label for="f-retentionDays">Keep raw beacons for (days)</label>
        <input
          id="f-retentionDays"
          name="retentionDays"
          type="number"
          min="1"
          max="400"
          required
          value={t.retentionDays}
          aria-invalid={bad('retentionDays') ? 'true' : undefined}
          aria-describedby={bad('retentionDays') ? 'retentionDays-error retentionDays-hint' : 'retentionDays-hint'}
        />
        <p class="hint" id="retentionDays-hint">
          Daily and hourly totals are kept; single beacons are deleted after this many days.
        </p>
        <FieldError error={props.error} field="retentionDays" />
      </div>
      <button type="submit" class="primary">
        Save
      </button>
    </form>
  );
}

export interface ArticleData {
  article: { id: number; headline: string; url: string; published_at: string | null };
  range: ShownRange;
  rangeError?: string;
  series: Point[];
  hourly: boolean;
  totals: Counters;
  averageShare: number;
  sources: { source: string; views: number }[];
  comments: { written: number; approved: number };
}

/** /admin/analytics/articles/{id}: one article's readers since it was published. */
export function ArticleStatsPage(props: Common & { data: ArticleData }) {
  const d = props.data;
  const t = d.totals;
  const action = `/admin/analytics/articles/${d.article.id}`;
  return (
    <AdminLayout
      title={`Analytics: ${d.article.headline}`}
      siteName={props.siteName}
      actor={props.actor}
      csrf={props.csrf}
      current="/admin/analytics"
    >
      <p>
        <a href="/admin/analytics">← Analytics</a>
      </p>
      <h1>{d.article.headline}</h1>
      <p class="hint">
        <a href={d.article.url}>{d.article.url}</a>
        {d.article.published_at ? ` · published ${d.article.published_at.slice(0, 10)}` : ''} ·{' '}
        <a href={`/admin/articles/${d.article.id}/edit`}>Edit</a>
      </p>
      <RangePicker action={action} range={d.range} error={d.rangeError} />
      <dl class="analytics-totals">
        <dt>Views</dt>
        <dd data-views>{fmt(t.views)}</dd>
        <dt>Visitors (daily, summed)</dt>
        <dd data-visitors>{fmt(t.visitors)}</dd>
        <dt>Average engaged time</dt>
        <dd>{seconds(t.views > 0 ? Math.round(t.engaged_seconds / t.views) : 0)}</dd>
        <dt>Listens</dt>
        <dd data-listens>{fmt(t.listens)}</dd>
        <dt>Average share listened</dt>
        <dd>{t.listens > 0 ? `${Math.round(d.averageShare * 100)} %` : '—'}</dd>
        <dt>Shares clicked</dt>
        <dd>{fmt(t.shares)}</dd>
        <dt>Comment form opened / sent</dt>
        <dd>
          {fmt(t.comment_opens)} / {fmt(t.comment_sends)}
        </dd>
        <dt>Comments written (approved)</dt>
        <dd data-comments>
          {fmt(d.comments.written)} ({fmt(d.comments.approved)})
        </dd>
      </dl>
      <ColumnChart
        id="article-views"
        title={d.hourly ? 'Views per hour' : 'Views per day'}
        desc={`Views of this article from ${d.range.from} to ${d.range.to}.`}
        unit="views"
        points={d.series}
      />
      <BarChart
        id="article-depth"
        title="How far readers read"
        desc="Readers who reached each part of the article."
        unit="readers"
        points={depthPoints(t)}
      />
      <BarChart
        id="article-listens"
        title="Listens"
        desc="Listens started and how far they went."
        unit="listens"
        points={listenPoints(t)}
      />
      <BarChart
        id="article-sources"
        title="Where readers came from"
        desc="Views by source."
        unit="views"
        points={d.sources.map((s) => ({ label: s.source, value: s.views }))}
      />
    </AdminLayout>
  );
}
