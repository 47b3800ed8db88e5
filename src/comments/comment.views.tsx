import { relativeTimeFormat } from '../text/intl.js';
import type { PublicComment } from './comment.repo.js';
import { linkify, paragraphs } from './comment.text.js';

/** Replies indent up to this depth; deeper ones line up at it, saying whom they answer. */
export const DEPTH_CAP = 3;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago" (the page's script keeps it current on cached pages). */
export function relativeTime(iso: string, now: Date, locale = 'en'): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  const rtf = relativeTimeFormat(locale);
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  const thisMinute = rtf.format(0, 'minute');
  return thisMinute === 'this minute' ? 'just now' : thisMinute;
}

/** Escaped plain text in paragraphs; http(s) addresses become links that pass no ranking and no opener. */
export function CommentBody(props: { body: string }) {
  return (
    <div class="comment-body">
      {paragraphs(props.body).map((lines, i) => (
        <p key={i}>
          {lines.map((line, j) => (
            <>
              {j > 0 ? <br /> : null}
              {linkify(line).map((piece, k) =>
                'href' in piece ? (
                  <a key={k} href={piece.href} rel="nofollow ugc noopener">
                    {piece.text}
                  </a>
                ) : (
                  piece.text
                ),
              )}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

interface Node {
  comment: PublicComment;
  children: Node[];
}

function buildTree(comments: PublicComment[]): Node[] {
  const nodes = new Map<number, Node>(comments.map((c) => [c.id, { comment: c, children: [] }]));
  const roots: Node[] = [];
  for (const c of comments) {
    const node = nodes.get(c.id)!;
    const parent = c.parent_id !== null ? nodes.get(c.parent_id) : undefined;
    if (c.parent_id === null) roots.push(node);
    else if (parent) parent.children.push(node);
  }
  return roots;
}

/** Whether an erased comment still has something visible below it (else it is left out). */
const hasVisible = (n: Node): boolean => n.comment.status === 'approved' || n.children.some(hasVisible);

interface ItemProps {
  node: Node;
  depth: number;
  now: Date;
  locale: string;
  replyingTo?: string;
  openForReplies: boolean;
}

function CommentItem(props: ItemProps) {
  const { node, depth, now } = props;
  const c = node.comment;
  if (!hasVisible(node)) return null;
  // Past the cap, the whole subtree is listed flat at the cap's depth.
  const flat: { node: Node; replyingTo: string }[] = [];
  const collect = (n: Node) => {
    for (const child of n.children) {
      flat.push({ node: { ...child, children: [] }, replyingTo: n.comment.status === 'erased' ? 'a removed comment' : n.comment.name });
      collect(child);
    }
  };
  if (depth >= DEPTH_CAP) collect(node);
  const children = depth >= DEPTH_CAP ? [] : node.children;
  return (
    <>
      <li class="comment-item">
        {c.status === 'erased' ? (
          <article class="comment comment-removed" id={`comment-${c.id}`}>
            <p>This comment was removed.</p>
          </article>
        ) : (
          <article class="comment" id={`comment-${c.id}`} data-comment-id={c.id}>
            <header class="comment-meta">
              <strong class="comment-author">{c.name}</strong>
              {props.replyingTo ? <span class="comment-replying"> in reply to {props.replyingTo}</span> : null}{' '}
              <a class="comment-time" href={`#comment-${c.id}`}>
                <time datetime={c.created_at} data-relative>
                  {relativeTime(c.created_at, now, props.locale)}
                </time>
              </a>
            </header>
            <CommentBody body={c.body} />
            <footer class="comment-actions">
              {props.openForReplies ? (
                <a href={`/comments/${c.id}/reply`} data-reply={c.id} data-reply-name={c.name} rel="nofollow">
                  Reply
                </a>
              ) : null}{' '}
              <a href={`/comments/${c.id}/report`} rel="nofollow">
                Report
              </a>
            </footer>
          </article>
        )}
        {children.length ? (
          <ol class="comment-replies">
            {children.map((child) => (
              <CommentItem key={child.comment.id} {...props} node={child} depth={depth + 1} replyingTo={undefined} />
            ))}
          </ol>
        ) : null}
      </li>
      {flat.map((f) => (
        <CommentItem key={f.node.comment.id} {...props} node={f.node} depth={depth} replyingTo={f.replyingTo} />
      ))}
    </>
  );
}

export interface CommentListProps {
  comments: PublicComment[];
  now: Date;
  locale: string;
  openForReplies: boolean;
  /** Links to the previous/next page of threads and the other sort order. */
  baseUrl: string;
  page: number;
  pages: number;
  newest: boolean;
}

export function CommentList(props: CommentListProps) {
  const roots = buildTree(props.comments);
  const link = (page: number, newest: boolean) => {
    const q = new URLSearchParams();
    if (page > 1) q.set('cpage', String(page));
    if (newest) q.set('csort', 'newest');
    const s = q.toString();
    return `${props.baseUrl}${s ? `?${s}` : ''}#comments`;
  };
  if (roots.length === 0) return <p class="comments-empty">No comments yet.</p>;
  return (
    <div class="comment-list">
      <p class="comment-sort">
        Sort: {props.newest ? <a href={link(1, false)}>oldest first</a> : <strong aria-current="true">oldest first</strong>} ·{' '}
        {props.newest ? <strong aria-current="true">newest first</strong> : <a href={link(1, true)}>newest first</a>}
      </p>
      <ol class="comments">
        {roots.map((n) => (
          <CommentItem key={n.comment.id} node={n} depth={0} now={props.now} locale={props.locale} openForReplies={props.openForReplies} />
        ))}
      </ol>
      {props.pages > 1 ? (
        <nav class="comment-pages" aria-label="Comment pages">
          {props.page > 1 ? (
            <a href={link(props.page - 1, props.newest)} rel="prev">
              Earlier comments
            </a>
          ) : null}{' '}
          {props.page < props.pages ? (
            <a href={link(props.page + 1, props.newest)} rel="next">
              More comments
            </a>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
