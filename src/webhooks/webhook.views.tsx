import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import { WEBHOOK_EVENTS } from './webhook.events.js';
import { MAX_DESCRIPTION } from './webhook.service.js';
import type { WebhookDelivery, WebhookEndpoint } from './webhook.table.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  settings: Pick<SiteSettings, 'locale' | 'timeZone'>;
  error?: FormError;
  flash?: string;
}

/** What an administrator typed into the endpoint form, kept when it is refused. */
export interface TypedEndpoint {
  url: string;
  events: string[];
  description: string;
}

const CURRENT = '/admin/webhooks';

function EndpointFields(props: { typed: TypedEndpoint; error?: FormError }) {
  const { typed, error } = props;
  const bad = (f: string) => (error?.field === f ? 'true' : undefined);
  return (
    <>
      <div class="field">
        <label for="f-url">Address (URL)</label>
        <input
          id="f-url"
          name="url"
          type="url"
          value={typed.url}
          required
          maxLength={2000}
          placeholder="https://hooks.example.org/gazette"
          autocomplete="off"
          aria-invalid={bad('url')}
          aria-describedby={bad('url') ? 'url-error' : undefined}
        />
        <FieldError error={error} field="url" />
      </div>
      <fieldset class="field" aria-invalid={bad('events')}>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((e) => (
          <label key={e.name} class="checkbox">
            <input type="checkbox" name="events" value={e.name} checked={typed.events.includes(e.name)} /> {e.label} <code>{e.name}</code>
          </label>
        ))}
        <FieldError error={error} field="events" />
      </fieldset>
      <div class="field">
        <label for="f-description">
          Description <span class="hint">(for your own reference)</span>
        </label>
        <input
          id="f-description"
          name="description"
          value={typed.description}
          maxLength={MAX_DESCRIPTION}
          aria-invalid={bad('description')}
        />
        <FieldError error={error} field="description" />
      </div>
    </>
  );
}

/** Shown once, right after the secret is made: the receiver verifies signatures with it. */
function SecretPanel(props: { secret: string }) {
  return (
    <section class="panel notice" aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      <p>Copy it now: it is not shown again. The receiver checks each delivery's signature with it.</p>
      <p>
        <code class="secret">{props.secret}</code>
      </p>
    </section>
  );
}

function DisabledNotice(props: { rows: Pick<WebhookEndpoint, 'id' | 'url' | 'disabled_reason'>[] }) {
  if (props.rows.length === 0) return null;
  return (
    <div class="notice" role="alert">
      {props.rows.map((r) => (
        <p key={r.id}>
          Webhook <a href={`/admin/webhooks/${r.id}`}>{r.url}</a> was switched off. {r.disabled_reason}
        </p>
      ))}
    </div>
  );
}

const state = (e: WebhookEndpoint) => (e.enabled ? (e.failing_since ? 'On, failing' : 'On') : 'Off');

/** Every endpoint, the notices of those switched off, and the form to add one. */
export function WebhooksPage(
  props: Common & { endpoints: WebhookEndpoint[]; failing: Map<number, number>; typed?: TypedEndpoint; secret?: string },
) {
  const disabled = props.endpoints.filter((e) => !e.enabled && e.disabled_reason);
  return (
    <AdminLayout title="Webhooks" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={CURRENT}>
      <h1>Webhooks</h1>
      <p class="hint">
        Gazette sends a signed JSON message to each address below when one of its events happens, and retries for about a day when it fails.
        An address that fails for more than three days is switched off.
      </p>
      <Flash message={props.flash} />
      {props.secret ? <SecretPanel secret={props.secret} /> : null}
      <DisabledNotice rows={disabled} />
      <ErrorSummary error={props.error} />
      {props.endpoints.length ? (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Retrying</th>
              </tr>
            </thead>
            <tbody>
              {props.endpoints.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/admin/webhooks/${e.id}`}>{e.url}</a>
                    {e.description ? <div class="hint">{e.description}</div> : null}
                  </td>
                  <td>{(JSON.parse(e.events) as string[]).join(', ')}</td>
                  <td>{state(e)}</td>
                  <td>{props.failing.get(e.id) ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">No webhooks yet.</p>
      )}
      <form method="post" action="/admin/webhooks" class="panel" aria-labelledby="new-webhook">
        <h2 id="new-webhook">New webhook</h2>
        <CsrfField token={props.csrf} />
        <EndpointFields typed={props.typed ?? { url: '', events: [], description: '' }} error={props.error} />
        <button type="submit" class="primary">
          Add webhook
        </button>
      </form>
    </AdminLayout>
  );
}

function DeliveryLog(props: { endpoint: WebhookEndpoint; deliveries: WebhookDelivery[]; csrf: string; settings: Common['settings'] }) {
  const { deliveries, endpoint } = props;
  if (deliveries.length === 0) return <p class="empty">Nothing sent yet.</p>;
  return (
    <div class="table-wrap">
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Next try</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.event_type}</code>
                {d.subject_id ? ` #${d.subject_id}` : ''}
              </td>
              <td>
                <time datetime={d.created_at}>{formatDateTime(d.created_at, props.settings)}</time>
              </td>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>
                {d.response_code ?? '—'}
                {d.error ? <div class="hint">{d.error}</div> : null}
                {d.response_excerpt ? (
                  <details>
                    <summary>Answer</summary>
                    <pre>{d.response_excerpt}</pre>
                  </details>
                ) : null}
              </td>
              <td>
                {d.status === 'pending' && d.next_attempt_at ? (
                  <time datetime={d.next_attempt_at}>{formatDateTime(d.next_attempt_at, props.settings)}</time>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {endpoint.enabled ? (
                  <form method="post" action={`/admin/webhooks/${endpoint.id}/deliveries/${d.id}/resend`} class="inline-form">
                    <CsrfField token={props.csrf} />
                    <button type="submit">
                      Resend<span class="visually-hidden"> delivery {d.id}</span>
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One endpoint: change it, switch it on or off, rotate its secret, delete it, and its delivery log. */
export function WebhookEditPage(
  props: Common & { endpoint: WebhookEndpoint; deliveries: WebhookDelivery[]; typed?: TypedEndpoint; secret?: string },
) {
  const e = props.endpoint;
  const typed = props.typed ?? { url: e.url, events: JSON.parse(e.events) as string[], description: e.description };
  const action = (path: string) => `/admin/webhooks/${e.id}/${path}`;
  return (
    <AdminLayout title="Webhook" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current={CURRENT}>
      <p>
        <a href="/admin/webhooks">← All webhooks</a>
      </p>
      <h1>
        Webhook <code>{e.url}</code>
      </h1>
      <Flash message={props.flash} />
      {props.secret ? <SecretPanel secret={props.secret} /> : null}
      {!e.enabled && e.disabled_reason ? (
        <div class="notice" role="alert">
          <p>{e.disabled_reason}</p>
        </div>
      ) : null}
      <p>
        State: <strong>{state(e)}</strong>
        {e.failing_since ? ` (failing since ${formatDateTime(e.failing_since, props.settings)})` : ''}
      </p>
      <ErrorSummary error={props.error} />
      <form method="post" action={`/admin/webhooks/${e.id}`} class="panel">
        <CsrfField token={props.csrf} />
        <EndpointFields typed={typed} error={props.error} />
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <div class="panel">
        <form method="post" action={action(e.enabled ? 'disable' : 'enable')} class="inline-form">
          <CsrfField token={props.csrf} />
          <button type="submit">{e.enabled ? 'Switch off' : 'Switch on'}</button>
        </form>{' '}
        <form method="post" action={action('rotate')} class="inline-form">
          <CsrfField token={props.csrf} />
          <button type="submit">New signing secret</button>
        </form>{' '}
        <form method="post" action={action('delete')} class="inline-form">
          <CsrfField token={props.csrf} />
          <button type="submit" class="danger">
            Delete webhook
          </button>
        </form>
      </div>
      <h2>Deliveries</h2>
      <DeliveryLog endpoint={e} deliveries={props.deliveries} csrf={props.csrf} settings={props.settings} />
    </AdminLayout>
  );
}
