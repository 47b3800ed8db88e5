// The article page's enhancements, each in a task of its own so that none holds the main thread
// for long on a slow phone; the discussion's and the comment times' code is loaded only when needed.
import { startBeacon } from './lib/beacon.js';
import { enhanceWhenNeeded } from './lib/on-demand.js';
import { attachShare } from './lib/share.js';
import { stepByStep, whenIdle } from './lib/tasks.js';

function shareBars(): void {
  for (const bar of document.querySelectorAll<HTMLElement>('[data-share-url]')) attachShare(bar);
}

/** The comment form: counter, checks and sending in place, once the reader may use it. */
function discussion(): void {
  const forms = [...document.querySelectorAll<HTMLFormElement>('[data-comment-form]')];
  if (forms.length === 0) return;
  enhanceWhenNeeded(forms[0].closest('.discussion') ?? forms[0], forms, async () => {
    const { setUpCommentForm } = await import('./lib/comment-setup.js');
    for (const form of forms) setUpCommentForm(form);
  });
}

/**
 * The server wrote each comment's age when it rendered the page; bringing a cached page's up to
 * date can wait until the browser is idle, and is skipped on a page without any.
 */
function commentTimes(): void {
  if (!document.querySelector('time[data-relative]')) return;
  whenIdle(async () => {
    const { refreshRelativeTimes } = await import('./lib/relative-time.js');
    await refreshRelativeTimes(document);
  }, 2000);
}

// Cookie-free analytics: its listeners now, the page view once the page has loaded and the browser is idle.
void stepByStep([shareBars, discussion, commentTimes, startBeacon]);
