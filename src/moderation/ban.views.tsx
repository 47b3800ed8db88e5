import { fingerprint } from '../comments/comment.hash.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import type { BanState, BanView } from './ban.repo.js';

export interface BansProps {
  siteName: string;
  actor: Actor;
  csrf: string;
  state: BanState;
  rows: BanView[];
  counts: Record<BanState, number>;
  page: number;
  hasMore: boolean;
  flash?: string;
}

const STATE_LABELS: Record<BanState, string> = { active: 'In force', ended: 'Lifted & ended' };

export const utc = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;
const Time = (props: { iso: string }) => <time datetime={props.iso}>{utc(props.iso)}</time>;

/** Who a ban is about, in words: the commenter behind the hash where still known. */
export function banTarget(b: BanView, named = true): string {
  const who = b.commenter_email ? `${b.commenter_name ?? ''} <${b.commenter_email}>`.trim() : null;
  if (b.kind === 'ip') return `${named ? 'address ' : ''}${fingerprint(b.value_hash)}${who ? ` (used by ${who})` : ''}`;
  return who ?? `an erased or unlinked commenter (${fingerprint(b.value_hash)})`;
}

function Who(props: { ban: BanView }) {
  const b = props.ban;
  return (
    <>
      <span class={`ban-kind ban-kind-${b.kind}`}>{b.kind === 'ip' ? 'Address' : 'Commenter'}</span> {banTarget(b, false)}
      {b.comment_id ? <span class="ban-comment"> · comment {b.comment_id}</span> : null}
    </>
  );
}

function LiftForm(props: { ban: BanView; csrf: string }) {
  const id = props.ban.id;
  return (
    <form method="post" action={`/admin/comments/bans/${id}/lift`} class="ban-lift">
      <CsrfField token={props.csrf} />
      <label class="visually-hidden" for={`lift-${id}-reason`}>
        Why lift ban {id} (optional)
      </label>
      <input id={`lift-${id}-reason`} name="reason" maxLength={500} placeholder="Reason (optional)" />
      <button type="submit">
        Lift<span class="visually-hidden"> the ban on {banTarget(props.ban)}</span>
      </button>
    </form>
  );
}

function Ended(props: { ban: BanView }) {
  const b = props.ban;
  if (b.lifted_at) {
    return (
      <>
        Lifted <Time iso={b.lifted_at} /> by {b.lifted_by_name ?? 'unknown'}
        {b.lift_reason ? `: ${b.lift_reason}` : ''}
      </>
    );
  }
  return b.expires_at ? (
    <>
      Ended <Time iso={b.expires_at} />
    </>
  ) : null;
}

export function BansPage(props: BansProps) {
  const active = props.state === 'active';
  const pageUrl = (page: number) => `/admin/comments/bans?state=${props.state}${page > 1 ? `&page=${page}` : ''}`;
  return (
    <AdminLayout title="Comment bans" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/comments">
      <h1>Comment bans</h1>
      <p class="mod-links">
        <a href="/admin/comments">Back to the queues</a> · <a href="/admin/comments/log">Moderation log</a>
      </p>
      {props.flash ? (
        <p class="comment-notice" role="status">
          {props.flash}
        </p>
      ) : null}
      <p class="hint">
        Ban a commenter from a comment in the queues. A commenter ban applies to their email address; an address ban stops everyone behind
        one network address and always ends. Lifted and ended bans no longer apply.
      </p>
      <nav class="mod-queues" aria-label="Bans">
        <ul>
          {(Object.keys(STATE_LABELS) as BanState[]).map((s) => (
            <li key={s}>
              <a href={`/admin/comments/bans?state=${s}`} aria-current={s === props.state ? 'page' : undefined}>
                {STATE_LABELS[s]} <span class="count">({props.counts[s].toLocaleString('en')})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.rows.length === 0 ? (
        <p>{active ? 'No ban is in force.' : 'No ban has been lifted or has ended yet.'}</p>
      ) : (
        <div class="table-wrap">
          <table class="admin-table ban-table">
            <thead>
              <tr>
                <th scope="col">Banned</th>
                <th scope="col">Why</th>
                <th scope="col">By</th>
                <th scope="col">When</th>
                <th scope="col">{active ? 'Ends' : 'Ended'}</th>
                {active ? <th scope="col">Lift</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((b) => (
                <tr key={b.id} data-ban={b.id}>
                  <td>
                    <Who ban={b} />
                  </td>
                  <td>{b.reason || '—'}</td>
                  <td>{b.created_by_name || 'unknown'}</td>
                  <td>
                    <Time iso={b.created_at} />
                  </td>
                  <td>{active ? b.expires_at ? <Time iso={b.expires_at} /> : 'No end' : <Ended ban={b} />}</td>
                  {active ? (
                    <td>
                      <LiftForm ban={b} csrf={props.csrf} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pagination" aria-label="Pages">
        {props.page > 1 ? (
          <a rel="prev" href={pageUrl(props.page - 1)}>
            Previous
          </a>
        ) : null}{' '}
        {props.hasMore ? (
          <a rel="next" href={pageUrl(props.page + 1)}>
            Next
          </a>
        ) : null}
      </nav>
    </AdminLayout>
  );
}
