import { fingerprint } from '../comments/comment.hash.js';
import { CommentBody } from '../comments/comment.views.js';
import { ADDRESS_BAN_TERMS, BAN_TERMS, type BanChoice, TERM_LABELS } from './ban.service.js';
import type { QueueItem } from './moderation.repo.js';

/** Past this many characters or lines a comment is shown collapsed on the desk. */
export const LONG_CHARS = 600;
export const LONG_LINES = 8;

/** What a moderator typed for a ban the server refused, shown again on that comment. */
export interface BanDraft extends BanChoice {
  id: number;
  reason: string;
}

/**
 * The comment's text; a long one is clipped to its first lines with a "Show all" control (a
 * details element the stylesheet reads, so it works without JavaScript).
 */
export function DeskBody(props: { body: string }) {
  const long = props.body.length > LONG_CHARS || props.body.split('\n').length > LONG_LINES;
  if (!long) return <CommentBody body={props.body} />;
  return (
    <div class="mod-body is-long">
      <CommentBody body={props.body} />
      <details class="mod-more">
        <summary>
          <span class="more-closed">Show all ({props.body.length.toLocaleString('en')} characters)</span>
          <span class="more-open">Show less</span>
        </summary>
      </details>
    </div>
  );
}

/** A moderation button: the label is the button's name; its keyboard hint is shown beside it, not read into it. */
function ActionButton(props: { id: number; action: string; label: string; shortcut: string }) {
  return (
    <button
      type="submit"
      formaction={`/admin/comments/${props.id}/${props.action}`}
      data-action={props.action}
      aria-keyshortcuts={props.shortcut}
    >
      <span class="action-label">{props.label}</span>{' '}
      <span class="action-key" aria-hidden="true">
        <kbd>{props.shortcut}</kbd>
      </span>
    </button>
  );
}

function BanControls(props: { item: QueueItem; draft?: BanDraft }) {
  const c = props.item;
  const d = props.draft;
  return (
    <details class="mod-ban" open={d ? true : undefined}>
      <summary>Ban commenter…</summary>
      <div class="mod-ban-body">
        <p class="hint">Give the reason in the Reason box. The ban stops this commenter’s email address from commenting.</p>
        <label for={`mod-${c.id}-ban-expires`}>Commenter ban lasts</label>
        <select id={`mod-${c.id}-ban-expires`} name={`ban-expires-${c.id}`}>
          {BAN_TERMS.map((t) => (
            <option key={t} value={t} selected={(d?.emailFor ?? 'never') === t}>
              {TERM_LABELS[t]}
            </option>
          ))}
        </select>
        {c.ip_hash ? (
          <span class="mod-ban-address">
            <input type="checkbox" id={`mod-${c.id}-ban-address`} name={`ban-address-${c.id}`} value="on" checked={d?.address} />
            <label for={`mod-${c.id}-ban-address`}>Also ban the address {fingerprint(c.ip_hash)} (everyone commenting from it) for</label>{' '}
            <select id={`mod-${c.id}-ban-address-for`} name={`ban-address-for-${c.id}`} aria-label="Address ban lasts">
              {ADDRESS_BAN_TERMS.map((t) => (
                <option key={t} value={t} selected={(d?.addressFor ?? '24h') === t}>
                  {TERM_LABELS[t]}
                </option>
              ))}
            </select>
          </span>
        ) : null}
        <button type="submit" formaction={`/admin/comments/${c.id}/ban`} data-action="ban" class="danger">
          Ban commenter
        </button>
      </div>
    </details>
  );
}

export function Item(props: {
  item: QueueItem;
  reports: string[];
  learning: boolean;
  draft?: BanDraft;
  deskUrl: (articleId: number) => string;
}) {
  const c = props.item;
  const reasons = JSON.parse(c.reasons) as string[];
  const url = `/${c.section_slug}/${c.article_slug}`;
  return (
    <li class="mod-item" data-comment-row={c.id} tabIndex={-1} aria-labelledby={`mod-${c.id}-who`}>
      <div class="mod-select">
        <input type="checkbox" name="ids" value={c.id} id={`mod-${c.id}-check`} aria-label={`Select comment ${c.id}`} />
      </div>
      <div class="mod-main">
        <p class="mod-meta" id={`mod-${c.id}-who`}>
          <strong>{c.name}</strong> &lt;{c.email ?? 'erased'}&gt; ·{' '}
          <span title="Keyed hash of the address">ip {fingerprint(c.ip_hash)}</span> ·{' '}
          <time datetime={c.created_at}>{c.created_at.replace('T', ' ').slice(0, 16)} UTC</time> · history {c.approved_count ?? 0} approved
          / {c.rejected_count ?? 0} rejected · <Score score={c.spam_score} learning={props.learning} /> ·{' '}
          <span class={`status status-${c.status}`}>{c.status}</span>
        </p>
        <p class="mod-article">
          on <a href={`${url}#comment-${c.id}`}>{c.headline}</a> · <a href={props.deskUrl(c.article_id)}>this article’s queue</a>
        </p>
        {c.parent_id ? (
          <blockquote class="mod-parent">
            In reply to <strong>{c.parent_name ?? 'a removed comment'}</strong>: {(c.parent_body ?? '').slice(0, 200)}
            {(c.parent_body ?? '').length > 200 ? '…' : ''}
          </blockquote>
        ) : null}
        <DeskBody body={c.body} />
        {reasons.length ? <p class="mod-reasons">Held because: {reasons.join('; ')}</p> : null}
        {props.reports.length ? (
          <p class="mod-reports">
            Reported ({props.reports.length}): {props.reports.join('; ')}
          </p>
        ) : null}
        {c.reject_reason ? <p class="mod-reasons">Rejection reason: {c.reject_reason}</p> : null}
        <div class="mod-actions">
          <label class="visually-hidden" for={`mod-${c.id}-reason`}>
            Reason
          </label>
          <input
            id={`mod-${c.id}-reason`}
            name={`reason-${c.id}`}
            placeholder="Reason (for reject, spam, ban)"
            data-reason
            maxLength={500}
            value={props.draft?.reason}
            aria-invalid={props.draft ? 'true' : undefined}
          />
          <ActionButton id={c.id} action="approve" label="Approve" shortcut="a" />
          <ActionButton id={c.id} action="reject" label="Reject" shortcut="r" />
          <ActionButton id={c.id} action="spam" label="Spam" shortcut="s" />
          <BanControls item={c} draft={props.draft} />
        </div>
      </div>
    </li>
  );
}

function Score(props: { score: number | null; learning: boolean }) {
  if (props.score === null) return <span class="score">score —</span>;
  const cls = props.score >= 0.9 ? 'score score-high' : props.score >= 0.6 ? 'score score-mid' : 'score';
  return (
    <span class={cls} title={props.learning ? 'The spam filter is still learning: this score only sorts and flags.' : 'Learnt spam score'}>
      spam {Math.round(props.score * 100)}%{props.learning ? ' (learning)' : ''}
    </span>
  );
}
