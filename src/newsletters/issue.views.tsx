import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import type { DeliveryCounts, DeliveryProblem } from './delivery.repo.js';
import type { IssueListRow, PickableArticle } from './issue.repo.js';
import { MAX_INTRO, MAX_SUBJECT } from './issue.service.js';
import type { NewsletterIssue } from './issue.table.js';
import type { NewsletterList } from './newsletter.table.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  settings: Pick<SiteSettings, 'locale' | 'timeZone'>;
  error?: FormError;
  flash?: string;
}

/** What the composer holds: as typed, or as saved. */
export interface IssueDraft {
  list: string;
  subject: string;
  intro: string;
  articleIds: number[];
}

const NAV = '/admin/newsletters';
const STATUS_LABEL: Record<NewsletterIssue['status'], string> = { draft: 'Draft', sending: 'Sending', sent: 'Sent' };
const ORIGIN_LABEL: Record<NewsletterIssue['origin'], string> = {
  manual: 'composed',
  breaking: 'breaking news',
  on_publish: 'on publish',
  digest: 'daily digest',
  cli: 'command line',
};

/** Every issue, newest first, with its counts. */
export function IssuesPage(props: Common & { rows: IssueListRow[]; page: number; more: boolean }) {
  return (
    <AdminLayout title="Newsletter issues" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={NAV}>
      <p>
        <a href="/admin/newsletters">← Newsletters</a>
      </p>
      <h1>Newsletter issues</h1>
      <Flash message={props.flash} />
      <p>
        <a href="/admin/newsletters/issues/new" class="button-like primary">
          New issue
        </a>
      </p>
      {props.rows.length ? (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">List</th>
                <th scope="col">Status</th>
                <th scope="col">Sent</th>
                <th scope="col">Failed</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/admin/newsletters/issues/${r.id}`}>{r.subject}</a>
                    <span class="hint"> ({ORIGIN_LABEL[r.origin]})</span>
                  </td>
                  <td>{r.list_name}</td>
                  <td>{STATUS_LABEL[r.status]}</td>
                  <td>{r.status === 'draft' ? '—' : `${r.sent_count}${r.recipients !== null ? ` of ${r.recipients}` : ''}`}</td>
                  <td>{r.status === 'draft' ? '—' : r.failed_count + r.bounced_count}</td>
                  <td>
                    <time datetime={r.created_at}>{formatDateTime(r.created_at, props.settings)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">No issues yet.</p>
      )}
      {props.page > 1 || props.more ? (
        <nav class="pagination" aria-label="Pages">
          {props.page > 1 ? <a href={`/admin/newsletters/issues?page=${props.page - 1}`}>← Newer</a> : <span />}
          <span>Page {props.page}</span>
          {props.more ? (
            <a rel="next" href={`/admin/newsletters/issues?page=${props.page + 1}`}>
              Older →
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

function ComposeFields(props: {
  draft: IssueDraft;
  lists: NewsletterList[];
  articles: PickableArticle[];
  settings: Common['settings'];
  error?: FormError;
}) {
  const { draft, error } = props;
  const bad = (f: string) => (error?.field === f ? 'true' : undefined);
  return (
    <>
      <div class="field">
        <label for="f-list">List</label>
        <select id="f-list" name="list" aria-invalid={bad('list')}>
          {props.lists.map((l) => (
            <option value={String(l.id)} selected={draft.list === String(l.id)} key={l.id}>
              {l.name}
            </option>
          ))}
        </select>
        <FieldError error={error} field="list" />
      </div>
      <div class="field">
        <label for="f-subject">Subject</label>
        <input id="f-subject" name="subject" value={draft.subject} maxLength={MAX_SUBJECT} required aria-invalid={bad('subject')} />
        <FieldError error={error} field="subject" />
      </div>
      <div class="field">
        <label for="f-intro">
          Introduction <span class="hint">(optional; plain text, blank lines between paragraphs)</span>
        </label>
        <textarea id="f-intro" name="intro" rows={5} maxLength={MAX_INTRO} aria-invalid={bad('intro')}>
          {draft.intro}
        </textarea>
        <FieldError error={error} field="intro" />
      </div>
      <fieldset class="field" id="f-articles" aria-invalid={bad('articles')}>
        <legend>Articles (recently published, newest first)</legend>
        <FieldError error={error} field="articles" />
        {props.articles.length ? (
          <ul class="plain-list">
            {props.articles.map((a) => (
              <li key={a.id}>
                <label>
                  <input type="checkbox" name="articles" value={String(a.id)} checked={draft.articleIds.includes(a.id)} /> {a.headline}{' '}
                  <span class="hint">
                    ({a.section}, <time datetime={a.publishedAt}>{formatDateTime(a.publishedAt, props.settings)}</time>)
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p class="empty">No published articles yet.</p>
        )}
      </fieldset>
    </>
  );
}

/** A new issue: the list, subject, introduction and the articles it carries. */
export function NewIssuePage(props: Common & { draft: IssueDraft; lists: NewsletterList[]; articles: PickableArticle[] }) {
  return (
    <AdminLayout title="New issue" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={NAV}>
      <p>
        <a href="/admin/newsletters/issues">← All issues</a>
      </p>
      <h1>New issue</h1>
      <ErrorSummary error={props.error} />
      <form method="post" action="/admin/newsletters/issues" class="panel">
        <CsrfField token={props.csrf} />
        <ComposeFields draft={props.draft} lists={props.lists} articles={props.articles} settings={props.settings} error={props.error} />
        <button type="submit" class="primary">
          Save draft
        </button>
      </form>
    </AdminLayout>
  );
}

/** A draft: change it, preview it, send a test, send it. */
export function DraftIssuePage(
  props: Common & {
    issue: NewsletterIssue;
    draft: IssueDraft;
    lists: NewsletterList[];
    articles: PickableArticle[];
    testTo: string;
    recipients: number;
  },
) {
  const { issue, error } = props;
  const base = `/admin/newsletters/issues/${issue.id}`;
  return (
    <AdminLayout title={`Issue: ${issue.subject}`} siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={NAV}>
      <p>
        <a href="/admin/newsletters/issues">← All issues</a>
      </p>
      <h1>Draft: {issue.subject}</h1>
      <Flash message={props.flash} />
      <ErrorSummary error={error} />
      <p>
        <a href={`${base}/preview`} target="_blank" rel="noopener">
          Preview the email<span class="visually-hidden"> (opens in a new tab)</span>
        </a>
      </p>
      <form method="post" action={base} class="panel">
        <CsrfField token={props.csrf} />
        <ComposeFields draft={props.draft} lists={props.lists} articles={props.articles} settings={props.settings} error={error} />
        <button type="submit" class="primary">
          Save draft
        </button>
      </form>
      <form method="post" action={`${base}/test`} class="panel" aria-labelledby="test-title">
        <h2 id="test-title">Send a test email</h2>
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-to">Address</label>
          <input
            id="f-to"
            name="to"
            type="email"
            value={props.testTo}
            maxLength={254}
            required
            aria-invalid={error?.field === 'to' ? 'true' : undefined}
          />
          <FieldError error={error} field="to" />
        </div>
        <button type="submit">Send test</button>
      </form>
      <form method="post" action={`${base}/send`} class="panel" aria-labelledby="send-title">
        <h2 id="send-title">Send</h2>
        <CsrfField token={props.csrf} />
        <p>
          This issue goes to the {props.recipients} confirmed subscriber{props.recipients === 1 ? '' : 's'} of its list (saved changes
          only).
        </p>
        <button type="submit" class="primary">
          Send now
        </button>
      </form>
      <form method="post" action={`${base}/delete`} class="panel">
        <CsrfField token={props.csrf} />
        <button type="submit" class="danger">
          Delete draft
        </button>
      </form>
    </AdminLayout>
  );
}

/** A sent (or sending) issue: its counts and the deliveries that did not arrive. */
export function SentIssuePage(
  props: Common & {
    issue: NewsletterIssue;
    listName: string;
    counts: DeliveryCounts;
    unsubscribed: number;
    problems: DeliveryProblem[];
  },
) {
  const { issue, counts } = props;
  const waiting = counts.queued + counts.sending;
  return (
    <AdminLayout title={`Issue: ${issue.subject}`} siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={NAV}>
      <p>
        <a href="/admin/newsletters/issues">← All issues</a>
      </p>
      <h1>{issue.subject}</h1>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      <p>
        {STATUS_LABEL[issue.status]} to <strong>{props.listName}</strong> ({ORIGIN_LABEL[issue.origin]})
        {issue.queued_at ? (
          <>
            {' '}
            · asked for <time datetime={issue.queued_at}>{formatDateTime(issue.queued_at, props.settings)}</time>
          </>
        ) : null}
        {issue.sent_at ? (
          <>
            {' '}
            · finished <time datetime={issue.sent_at}>{formatDateTime(issue.sent_at, props.settings)}</time>
          </>
        ) : null}
        {' · '}
        <a href={`/admin/newsletters/issues/${issue.id}/preview`} target="_blank" rel="noopener">
          Preview<span class="visually-hidden"> (opens in a new tab)</span>
        </a>
      </p>
      <dl class="counts" aria-label="Counts">
        <div>
          <dt>Recipients</dt>
          <dd data-count="recipients">{issue.recipients ?? '…'}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd data-count="sent">{counts.sent}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd data-count="waiting">{waiting}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-count="failed">{counts.failed}</dd>
        </div>
        <div>
          <dt>Bounced</dt>
          <dd data-count="bounced">{counts.bounced}</dd>
        </div>
        <div>
          <dt>Unsubscribed since</dt>
          <dd data-count="unsubscribed">{props.unsubscribed}</dd>
        </div>
      </dl>
      <p class="hint">Opens are not counted: the emails carry no tracking pixel.</p>
      {props.problems.length ? (
        <section aria-labelledby="problems-title">
          <h2 id="problems-title">Not delivered</h2>
          <div class="table-wrap">
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                </tr>
              </thead>
              <tbody>
                {props.problems.map((p) => (
                  <tr key={p.email}>
                    <td>{p.email}</td>
                    <td>{p.status}</td>
                    <td>{p.attempts}</td>
                    <td>{p.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </AdminLayout>
  );
}

/** "Send as breaking news": one more click, naming the list and how many it reaches. */
export function BreakingConfirmPage(props: Common & { articleId: number; headline: string; listName: string; recipients: number }) {
  return (
    <AdminLayout title="Send as breaking news" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={NAV}>
      <p>
        <a href={`/admin/articles/${props.articleId}/edit`}>← Back to the article</a>
      </p>
      <h1>Send as breaking news</h1>
      <form method="post" action={`/admin/newsletters/breaking/${props.articleId}`} class="panel">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="confirm" value="yes" />
        <p>
          “{props.headline}” goes to the {props.recipients} confirmed subscriber{props.recipients === 1 ? '' : 's'} of{' '}
          <strong>{props.listName}</strong> now. This cannot be undone.
        </p>
        <button type="submit" class="primary">
          Send now
        </button>
      </form>
    </AdminLayout>
  );
}
