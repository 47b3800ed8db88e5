import type { ArticleView } from '../articles/article.repo.js';
import { commentsUrl } from '../articles/article.urls.js';

export const COMMENT_MAX = 5000;

export interface DiscussionProps {
  article: ArticleView;
  /** Approved comments shown on the page. */
  count: number;
  list?: preact.ComponentChildren;
  /** Values to put back into the form after a rejected submission. */
  values?: { name?: string; email?: string; body?: string };
  errors?: Partial<Record<'name' | 'email' | 'body' | 'form', string>>;
}

/** "Discussion (N Comments)", the comment list and the comment form (a plain form; JS only adds the counter). */
export function Discussion(props: DiscussionProps) {
  const { article, count, values = {}, errors = {} } = props;
  return (
    <section class="discussion" id="comments" aria-labelledby="discussion-title">
      <h2 id="discussion-title">
        Discussion ({count} {count === 1 ? 'Comment' : 'Comments'})
      </h2>
      {props.list}
      {article.commentsOpen ? (
        <form class="comment-form" method="post" action={commentsUrl(article)} data-comment-form novalidate>
          <h3>Leave a Comment</h3>
          {errors.form ? (
            <p class="form-error" role="alert">
              {errors.form}
            </p>
          ) : null}
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
              aria-describedby={errors.name ? 'comment-name-error' : undefined}
            />
            {errors.name ? (
              <p class="field-error" id="comment-name-error">
                {errors.name}
              </p>
            ) : null}
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
              aria-describedby={errors.email ? 'comment-email-error' : undefined}
            />
            {errors.email ? (
              <p class="field-error" id="comment-email-error">
                {errors.email}
              </p>
            ) : null}
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
            {errors.body ? (
              <p class="field-error" id="comment-body-error">
                {errors.body}
              </p>
            ) : null}
            <p class="counter" id="comment-counter" data-counter aria-live="polite">
              {[...(values.body ?? '').normalize('NFC').trim()].length}/{COMMENT_MAX} characters
            </p>
          </div>
          <button type="submit">Post comment</button>
          <p class="moderation-note">Comments are moderated and will appear after approval.</p>
        </form>
      ) : (
        <p class="comments-closed">Comments are closed for this article.</p>
      )}
    </section>
  );
}
