import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { Section } from '../sections/section.table.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import type { ListInput } from './list.service.js';
import type { NewsletterList } from './newsletter.table.js';

export interface AdminCommon {
  siteName: string;
  actor: Actor;
  csrf: string;
  error?: FormError;
  flash?: string;
}

/** The mail server as the newsroom sees it (never the password). */
export interface MailState {
  configured: boolean;
  source: 'newsroom' | 'environment' | 'none';
  server: string;
  from: string;
}

const KIND_LABELS: Record<string, string> = {
  daily: 'Daily briefing',
  section: 'A section’s articles',
  breaking: 'Breaking news',
  custom: 'Chosen articles',
};
const AUTO_LABELS: Record<string, string> = {
  off: 'Only when an editor sends an issue',
  on_publish: 'On publish: each new article is sent',
  daily_digest: 'Daily digest at the set time',
};

export const emptyList: ListInput = {
  slug: '',
  name: '',
  description: '',
  section_id: '',
  kind: 'custom',
  auto_mode: 'off',
  digest_time: '07:00',
};

export const listInputOf = (l: NewsletterList): ListInput => ({
  slug: l.slug,
  name: l.name,
  description: l.description,
  section_id: l.section_id ? String(l.section_id) : '',
  kind: l.kind,
  auto_mode: l.auto_mode,
  digest_time: l.digest_time,
});

function invalid(error: FormError | undefined, field: string) {
  return error?.field === field ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${field}-error` } : {};
}

/** The fields of a list (new or existing). */
function ListFields(props: { values: ListInput; sections: Section[]; error?: FormError }) {
  const v = props.values;
  const e = props.error;
  return (
    <>
      <div class="field">
        <label for="f-name">Name</label>
        <input id="f-name" name="name" value={v.name} required maxLength={120} {...invalid(e, 'name')} />
        <FieldError error={e} field="name" />
      </div>
      <div class="field">
        <label for="f-slug">Short name</label>
        <input id="f-slug" name="slug" value={v.slug} required maxLength={50} pattern="[a-z0-9-]+" {...invalid(e, 'slug')} />
        <p class="hint">Lowercase letters, digits and hyphens; used by the sign-up form and `gazette newsletter send`.</p>
        <FieldError error={e} field="slug" />
      </div>
      <div class="field">
        <label for="f-description">Description</label>
        <input id="f-description" name="description" value={v.description} maxLength={500} {...invalid(e, 'description')} />
        <FieldError error={e} field="description" />
      </div>
      <div class="field">
        <label for="f-kind">Carries</label>
        <select id="f-kind" name="kind" {...invalid(e, 'kind')}>
          {Object.entries(KIND_LABELS).map(([value, label]) => (
            <option key={value} value={value} selected={v.kind === value}>
              {label}
            </option>
          ))}
        </select>
        <FieldError error={e} field="kind" />
      </div>
      <div class="field">
        <label for="f-section_id">Section</label>
        <select id="f-section_id" name="section_id" {...invalid(e, 'section_id')}>
          <option value="">None</option>
          {props.sections.map((s) => (
            <option key={s.id} value={String(s.id)} selected={v.section_id === String(s.id)}>
              {s.name}
            </option>
          ))}
        </select>
        <FieldError error={e} field="section_id" />
      </div>
      <div class="field">
        <label for="f-auto_mode">Sending</label>
        <select id="f-auto_mode" name="auto_mode" {...invalid(e, 'auto_mode')}>
          {Object.entries(AUTO_LABELS).map(([value, label]) => (
            <option key={value} value={value} selected={v.auto_mode === value}>
              {label}
            </option>
          ))}
        </select>
        <FieldError error={e} field="auto_mode" />
      </div>
      <div class="field">
        <label for="f-digest_time">Digest time (site time zone)</label>
        <input id="f-digest_time" name="digest_time" type="time" value={v.digest_time} {...invalid(e, 'digest_time')} />
        <FieldError error={e} field="digest_time" />
      </div>
    </>
  );
}

function MailNotice(props: { mail: MailState; isAdmin: boolean }) {
  const { mail } = props;
  return mail.configured ? (
    <p class="hint">
      Mail goes through <code>{mail.server}</code> ({mail.source === 'newsroom' ? 'newsroom setting' : 'GAZETTE_SMTP_URL'}) from{' '}
      <code>{mail.from || '(no sender set)'}</code>. {props.isAdmin ? <a href="/admin/newsletters/mail">Mail settings</a> : null}
    </p>
  ) : (
    <p class="form-error" role="status">
      Mail is not configured: nothing can be sent until GAZETTE_SMTP_URL is set
      {props.isAdmin ? (
        <>
          {' '}
          or a mail server is entered in the <a href="/admin/newsletters/mail">mail settings</a>
        </>
      ) : (
        ' or an administrator enters a mail server'
      )}
      . Readers can still sign up; their confirmation emails are not sent.
    </p>
  );
}

/** /admin/newsletters: the lists with their confirmed subscribers, a new list, and the mail server's state. */
export function ListsPage(
  props: AdminCommon & { lists: NewsletterList[]; counts: Map<number, number>; sections: Section[]; typed?: ListInput; mail: MailState },
) {
  return (
    <AdminLayout title="Newsletters" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/newsletters">
      <h1>Newsletters</h1>
      <Flash message={props.flash} />
      <MailNotice mail={props.mail} isAdmin={props.actor.role === 'admin'} />
      <p>
        <a href="/admin/newsletters/issues">Issues</a> · <a href="/admin/newsletters/subscribers">Subscribers</a>
      </p>
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">List</th>
              <th scope="col">Short name</th>
              <th scope="col">Sending</th>
              <th scope="col">Confirmed subscribers</th>
            </tr>
          </thead>
          <tbody>
            {props.lists.map((l) => (
              <tr key={l.id}>
                <td>
                  <a href={`/admin/newsletters/lists/${l.id}`}>{l.name}</a>
                </td>
                <td>
                  <code>{l.slug}</code>
                </td>
                <td>{AUTO_LABELS[l.auto_mode] ?? l.auto_mode}</td>
                <td data-list-count={l.slug}>{props.counts.get(l.id) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/admin/newsletters/lists" class="panel" aria-labelledby="new-list">
        <h2 id="new-list">New list</h2>
        <ErrorSummary error={props.error} />
        <CsrfField token={props.csrf} />
        <ListFields values={props.typed ?? emptyList} sections={props.sections} error={props.error} />
        <button type="submit" class="primary">
          Add list
        </button>
      </form>
    </AdminLayout>
  );
}

export function ListEditPage(props: AdminCommon & { list: NewsletterList; values: ListInput; sections: Section[]; count: number }) {
  return (
    <AdminLayout
      title={`Edit ${props.list.name}`}
      siteName={props.siteName}
      actor={props.actor}
      csrf={props.csrf}
      current="/admin/newsletters"
    >
      <p>
        <a href="/admin/newsletters">← All newsletters</a>
      </p>
      <h1>{props.list.name}</h1>
      <p class="hint">{props.count} confirmed subscribers.</p>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      <form method="post" action={`/admin/newsletters/lists/${props.list.id}`} class="panel">
        <CsrfField token={props.csrf} />
        <ListFields values={props.values} sections={props.sections} error={props.error} />
        <button type="submit" class="primary">
          Save
        </button>
      </form>
    </AdminLayout>
  );
}
