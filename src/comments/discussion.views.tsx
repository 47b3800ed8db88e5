import type { ComponentChildren } from 'preact';
import type { ArticleView } from '../articles/article.repo.js';
import { commentsUrl } from '../articles/article.urls.js';
import { CSRF_FIELD } from '../web/auth.js';
import { COMMENT_MAX, codePoints, normalizeText } from './comment.text.js';

export { COMMENT_MAX };

/** The hidden fields of the comment form: CSRF token, timing stamp and the honeypot bots fill in. */
export const STAMP_FIELD = '_ts';
export const HONEYPOT_FIELD = 'website';

export type FormErrors = Partial<Record<'name' | 'email' | 'body' | 'parent' | 'form', string>>;

export interface DiscussionProps {
  article: ArticleView;
  /** Approved comments of the article. */
  count: number;
  list?: ComponentChildren;
  /** Shown above the form, e.g. "awaiting moderation" after a post. */
  notice?: string;
  /** Values to put back into the form after a refused submission. */
  values?: { name?: string; email?: string; body?: string };
  errors?: FormErrors;
  /** Filled only on private (uncached) pages; the shared article page leaves them to the form's script. */
  csrf?: string;
  stamp?: string;
  /** Replying to this comment. */
  parent?: { id: number; name: string };
  /** The form alone (reply and error pages), without the heading and list. */
  formOnly?: boolean;
  /** The form's heading level: 3 under the discussion's h2, 2 on a page of its own under the h1. */
  headingLevel?: 2 | 3;
}

function FieldError(props: { id: string; message?: string }) {
  return props.message ? (
    <p class="field-error" id={props.id}>
      {props.message}
    </p>
  ) : null;
}

function FormHeading(props: { level: 2 | 3; children: string }) {
  return props.level === 2 ? <h2>{props.children}</h2> : <h3>{props.children}</h3>;
}

export function CommentForm(props: DiscussionProps) {
  const { article, values = {}, errors = {} } = props;
  const described = (field: 'name' | 'email') => (errors[field] ? `comment-${field}-error` : undefined);
  return (
    <form class="comment-form" id="comment-form" method="post" action={commentsUrl(article)} data-comment-form novalidate>
      <FormHeading level={props.headingLevel ?? 3}>{props.parent ? `Reply to ${props.parent.name}` : 'Leave a Comment'}</FormHeading>
      <p class="form-error" role="alert" data-form-error hidden={!errors.form && !errors.parent}>
        {errors.form ?? errors.parent ?? ''}
      </p>
      <input type="hidden" name={CSRF_FIELD} value={props.csrf ?? ''} />
      <input type="hidden" name={STAMP_FIELD} value={props.stamp ?? ''} />
      <input type="hidden" name="parent" value={props.parent ? String(props.parent.id) : ''} data-parent-field />
      <p class="reply-to" data-reply-to hidden={!props.parent}>
        {props.parent ? <a href={`#comment-${props.parent.id}`}>In reply to {props.parent.name}</a> : null}{' '}
        <a href={commentsUrl(article).replace(/\/comments$/, '#comment-form')} data-cancel-reply>
          Cancel reply
        </a>
      </p>
      <div class="field hp-field" aria-hidden="true">
        <label for="comment-website">Leave this field empty</label>
        <input id="comment-website" name={HONEYPOT_FIELD} tabIndex={-1} autocomplete="off" value="" />
      </div>
      <div class="field">
        <label for="comment-name">Name</label>
        <input
          id="comment-name"
          name="name"
          required
          maxLength={80}
          autocomplete="name"
          value={values.name ?? ''}
          aria-invalid={errors.name ? 'true' : undefined}
          aria-describedby={described('name')}
        />
        <FieldError id="comment-name-error" message={errors.name} />
      </div>
      <div class="field">
        <label for="comment-email">
          Email <span class="hint">(never shown)</span>
        </label>
        <input
          id="comment-email"
          name="email"
          type="email"
          required
          maxLength={254}
          autocomplete="email"
          value={values.email ?? ''}
          aria-invalid={errors.email ? 'true' : undefined}
          aria-describedby={described('email')}
        />
        <FieldError id="comment-email-error" message={errors.email} />
      </div>
      <div class="field">
        <label for="comment-body">Comment</label>
        <textarea
          id="comment-body"
          name="body"
          rows={6}
          required
          data-max={COMMENT_MAX}
          aria-invalid={errors.body ? 'true' : undefined}
          aria-describedby={`comment-counter${errors.body ? ' comment-body-error' : ''}`}
        >
          {values.body ?? ''}
        </textarea>
        <FieldError id="comment-body-error" message={errors.body} />
        <p class="counter" id="comment-counter" data-counter aria-live="polite">
          {codePoints(normalizeText(values.body ?? ''))}/{COMMENT_MAX} characters
        </p>
      </div>
      <button type="submit">Post comment</button>
      <p class="moderation-note">Comments are moderated and will appear after approval.</p>
      <p class="comment-notice" role="status" data-comment-status hidden />
    </form>
  );
}

/** "Discussion (N Comments)", the comment list and the comment form (a plain form; JS only enhances it). */
export function Discussion(props: DiscussionProps) {
  const { article, count } = props;
  return (
    <section class="discussion" id="comments" aria-labelledby="discussion-title" data-article-id={article.id}>
      <h2 id="discussion-title">
        Discussion ({count} {count === 1 ? 'Comment' : 'Comments'})
      </h2>
      {props.notice ? (
        <p class="comment-notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.list}
      {article.commentsOpen ? <CommentForm {...props} /> : <p class="comments-closed">Comments are closed for this article.</p>}
    </section>
  );
}
