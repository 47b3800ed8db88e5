import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleView } from '../articles/article.repo.js';
import { articleUrl } from '../articles/article.urls.js';
import { CsrfField } from '../web/admin-layout.js';
import { csrfToken } from '../web/auth.js';
import { pageContext, sendPage } from '../web/render.js';
import { signStamp } from './comment.token.js';
import { CommentBody } from './comment.views.js';
import { CommentForm, type DiscussionProps } from './discussion.views.js';

/**
 * Private pages around the shared article page: the form with a message and the typed text
 * kept, the reply form, the report form. Each carries a fresh CSRF token and timing stamp, so
 * they are never cached.
 */
export async function sendFormPage(
  request: FastifyRequest,
  reply: FastifyReply,
  props: Omit<DiscussionProps, 'count' | 'csrf' | 'stamp'> & { title: string; intro?: string; quote?: { name: string; body: string } },
  status = 200,
) {
  const ctx = await pageContext(request);
  const csrf = await csrfToken(request, reply);
  reply.header('Cache-Control', 'private, no-store');
  const { article } = props;
  return sendPage(
    reply,
    ctx,
    { title: `${props.title} — ${ctx.settings.siteName}`, noindex: true, scripts: ['article.js'] },
    <section class="comment-page discussion" id="comments" data-article-id={article.id}>
      <p class="kicker">
        <a href={articleUrl(article)}>{article.headline}</a>
      </p>
      <h1>{props.title}</h1>
      {props.intro ? <p>{props.intro}</p> : null}
      {props.quote ? (
        <blockquote class="comment comment-quoted">
          <strong class="comment-author">{props.quote.name}</strong>
          <CommentBody body={props.quote.body} />
        </blockquote>
      ) : null}
      <CommentForm {...props} count={0} csrf={csrf} stamp={signStamp(request.server.gazette.config.secret)} headingLevel={2} />
      <p>
        <a href={`${articleUrl(article)}#comments`}>Back to the article</a>
      </p>
    </section>,
    status,
  );
}

export async function sendReportPage(
  request: FastifyRequest,
  reply: FastifyReply,
  props: { article: ArticleView; comment: { id: number; name: string; body: string }; reason?: string; error?: string; done?: boolean },
  status = 200,
) {
  const ctx = await pageContext(request);
  const csrf = await csrfToken(request, reply);
  reply.header('Cache-Control', 'private, no-store');
  const back = `${articleUrl(props.article)}#comment-${props.comment.id}`;
  return sendPage(
    reply,
    ctx,
    { title: `Report a comment — ${ctx.settings.siteName}`, noindex: true },
    <section class="comment-page">
      <p class="kicker">
        <a href={articleUrl(props.article)}>{props.article.headline}</a>
      </p>
      <h1>Report a comment</h1>
      <blockquote class="comment comment-quoted">
        <strong class="comment-author">{props.comment.name}</strong>
        <CommentBody body={props.comment.body} />
      </blockquote>
      {props.done ? (
        <p class="comment-notice" role="status">
          Thank you. A moderator will look at this comment.
        </p>
      ) : (
        <form method="post" action={`/comments/${props.comment.id}/report`} class="stack-form comment-form">
          <CsrfField token={csrf} />
          {props.error ? (
            <p class="form-error" role="alert">
              {props.error}
            </p>
          ) : null}
          <div class="field">
            <label for="report-reason">What is wrong with it?</label>
            <textarea id="report-reason" name="reason" rows={3} maxLength={500} required>
              {props.reason ?? ''}
            </textarea>
          </div>
          <button type="submit">Send report</button>
        </form>
      )}
      <p>
        <a href={back}>Back to the article</a>
      </p>
    </section>,
    status,
  );
}
