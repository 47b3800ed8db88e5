import { ErrorSummary, type FormError } from '../newsroom/form.views.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import type { ImportReport, ReportKind } from './import.report.js';
import type { ImportProgress, Tally } from './import.service.js';
import type { ImportRun } from './import.table.js';

interface Common {
  siteName: string;
  settings: SiteSettings;
  actor: Actor;
  csrf: string;
  error?: FormError;
}

export interface TypedImport {
  source: string;
  pages: string;
  sectionMap: string;
}

const SOURCES: Record<string, string> = { wordpress: 'WordPress (export .xml)', ghost: 'Ghost (export .json)' };
const STATUS: Record<ImportRun['status'], string> = {
  previewed: 'Previewed — waiting for confirmation',
  queued: 'Queued',
  running: 'Running',
  done: 'Finished',
  failed: 'Failed',
};

/** Upload an export (and the uploads as a zip) to preview an import; the imports started so far. */
export function ImportPage(props: Common & { runs: ImportRun[]; typed?: TypedImport }) {
  const t = props.typed ?? { source: 'wordpress', pages: 'section', sectionMap: '' };
  return (
    <AdminLayout title="Import" siteName={props.siteName} actor={props.actor} current="/admin/import">
      <h1>Import from WordPress or Ghost</h1>
      <p>
        Upload the export file of your old site, and its uploads as a zip if you have them. You see what the import would do before anything
        is written; running it again later updates what changed and duplicates nothing.
      </p>
      <ErrorSummary error={props.error} />
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="stacked">
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-source">Platform</label>
          <select id="f-source" name="source">
            {Object.entries(SOURCES).map(([value, label]) => (
              <option value={value} selected={t.source === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-export">Export file</label>
          <input id="f-export" type="file" name="export" required accept=".xml,.json,application/xml,application/json" />
        </div>
        <div class="field">
          <label for="f-media">Uploads (optional .zip of wp-content/uploads or content/images)</label>
          <input id="f-media" type="file" name="media" accept=".zip,application/zip" />
        </div>
        <div class="field">
          <label for="f-pages">Pages</label>
          <select id="f-pages" name="pages">
            <option value="section" selected={t.pages !== 'skip'}>
              Import them as articles of a "Pages" section
            </option>
            <option value="skip" selected={t.pages === 'skip'}>
              Skip them
            </option>
          </select>
        </div>
        <div class="field">
          <label for="f-map">Categories to sections (optional)</label>
          <input id="f-map" name="sectionMap" value={t.sectionMap} placeholder="uncategorized=News, local=City" maxLength={2000} />
          <p class="hint">old category=New section, separated by commas.</p>
        </div>
        <button type="submit">Preview the import</button>
      </form>
      {props.runs.length ? (
        <>
          <h2>Imports</h2>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Platform</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/import/${r.id}`}>{r.file_name}</a>
                  </td>
                  <td>{r.source === 'wordpress' ? 'WordPress' : 'Ghost'}</td>
                  <td>{STATUS[r.status]}</td>
                  <td>{formatDateTime(r.created_at, props.settings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </AdminLayout>
  );
}

function Bar(props: { label: string; tally: Tally }) {
  const { done, total } = props.tally;
  return (
    <div class="field">
      <label>
        {props.label}: {done} of {total}
        <br />
        <progress max={Math.max(total, 1)} value={Math.min(done, Math.max(total, 1))}>
          {done} of {total}
        </progress>
      </label>
    </div>
  );
}

const LABELS: Record<ReportKind, string> = { post: 'Posts', page: 'Pages', comment: 'Comments', media: 'Media' };

export function ReportView(props: { report: ImportReport }) {
  const r = props.report;
  return (
    <div class="import-report">
      <table class="list">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{r.dryRun ? 'To import' : 'Imported'}</th>
            <th scope="col">{r.dryRun ? 'To update' : 'Updated'}</th>
            <th scope="col">Unchanged</th>
            <th scope="col">Skipped</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(LABELS) as ReportKind[]).map((k) => (
            <tr>
              <th scope="row">{LABELS[k]}</th>
              <td>{r.counts[k].imported}</td>
              <td>{r.counts[k].updated}</td>
              <td>{r.counts[k].unchanged}</td>
              <td>{r.counts[k].skipped}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        New sections: {r.created.sections}, people: {r.created.people}, tags: {r.created.tags}. Old addresses{' '}
        {r.dryRun ? 'to redirect' : 'redirected'}: {r.redirects}.
      </p>
      <List title="Skipped" items={r.skipped.map((s) => `${s.where}: ${s.why}`)} />
      <List title="Missing media (the articles are imported without them)" items={r.missingMedia.map((m) => `${m.url} (${m.where})`)} />
      <List title="Old addresses not redirected" items={r.redirectsSkipped.map((s) => `${s.from}: ${s.why}`)} />
      <List title="Warnings" items={r.warnings.map((w) => `${w.where}: ${w.message}`)} />
    </div>
  );
}

function List(props: { title: string; items: string[] }) {
  if (!props.items.length) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul>
        {props.items.map((i) => (
          <li>{i}</li>
        ))}
      </ul>
    </>
  );
}

/** One import: its preview and the button to run it, its progress while it runs, its report at the end. */
export function RunPage(props: Common & { run: ImportRun; progress: ImportProgress; report?: ImportReport }) {
  const { run } = props;
  const working = run.status === 'queued' || run.status === 'running';
  return (
    <AdminLayout title={`Import ${run.file_name}`} siteName={props.siteName} actor={props.actor} current="/admin/import">
      <p>
        <a href="/admin/import">← Imports</a>
      </p>
      <h1>Import of {run.file_name}</h1>
      <p role="status">{STATUS[run.status]}</p>
      <ErrorSummary error={props.error} />
      {run.status === 'failed' && run.error ? <p class="form-error">{run.error}</p> : null}
      {working || run.status === 'done' ? (
        <section aria-label="Progress">
          <Bar label="Articles" tally={props.progress.articles} />
          <Bar label="Comments" tally={props.progress.comments} />
          <Bar label="Media" tally={props.progress.media} />
          {working ? (
            <p>
              This page refreshes itself every few seconds. <a href={`/admin/import/${run.id}`}>Refresh now</a>
            </p>
          ) : null}
        </section>
      ) : null}
      {props.report ? (
        <>
          <h2>{props.report.dryRun ? 'What the import will do' : 'Report'}</h2>
          <ReportView report={props.report} />
        </>
      ) : null}
      {run.status === 'previewed' ? (
        <form method="post" action={`/admin/import/${run.id}/start`}>
          <CsrfField token={props.csrf} />
          <button type="submit">Run the import</button>
        </form>
      ) : null}
    </AdminLayout>
  );
}
