import type { ArticleView } from '../articles/article.repo.js';
import { articleUrl } from '../articles/article.urls.js';
import type { Executor } from '../events.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { listThreads } from './comment.repo.js';
import { CommentList } from './comment.views.js';
import { Discussion } from './discussion.views.js';

/** Top-level comments per page; their replies come along. */
export const THREADS_PER_PAGE = 50;

/** Whether the article takes comments now: its own switch and the site's auto-close age. */
export function commentsOpenNow(
  article: Pick<ArticleView, 'commentsOpen' | 'publishedAt'>,
  settings: SiteSettings,
  now = new Date(),
): boolean {
  if (!article.commentsOpen) return false;
  const days = settings.commentsAutoCloseDays;
  return !(days > 0 && article.publishedAt && now.getTime() - Date.parse(article.publishedAt) > days * 86_400_000);
}

/**
 * The discussion section of an article page: the same HTML for every reader of this URL (it is
 * cached and shared), so nothing here depends on who is asking.
 */
export async function discussionFor(db: Executor, article: ArticleView, query: unknown, settings: SiteSettings, now = new Date()) {
  const q = (query ?? {}) as Record<string, unknown>;
  const page = typeof q.cpage === 'string' && /^\d{1,5}$/.test(q.cpage) ? Math.max(Number(q.cpage), 1) : 1;
  const newest = q.csort === 'newest';
  const threads = await listThreads(db, article.id, { offset: (page - 1) * THREADS_PER_PAGE, limit: THREADS_PER_PAGE, newest });
  const count = threads.approved;
  const open = commentsOpenNow(article, settings, now);
  const pages = Math.max(Math.ceil(threads.roots / THREADS_PER_PAGE), 1);
  return (
    <Discussion
      article={{ ...article, commentsOpen: open }}
      count={count}
      notice={q.comment === 'pending' ? 'Thank you! Your comment is awaiting moderation and will appear once approved.' : undefined}
      list={
        <CommentList
          comments={threads.comments}
          now={now}
          locale={settings.locale}
          openForReplies={open}
          baseUrl={articleUrl(article)}
          page={page}
          pages={pages}
          newest={newest}
        />
      }
    />
  );
}
