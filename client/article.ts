import { startBeacon } from './lib/beacon.js';
import { attachCommentForm } from './lib/comment-form.js';
import { attachCounter } from './lib/counter.js';
import { refreshRelativeTimes } from './lib/relative-time.js';
import { attachShare } from './lib/share.js';

for (const form of document.querySelectorAll<HTMLFormElement>('[data-comment-form]')) {
  const textarea = form.querySelector<HTMLTextAreaElement>('textarea[data-max]');
  const counter = form.querySelector<HTMLElement>('[data-counter]');
  if (textarea && counter) attachCounter(textarea, counter);
  attachCommentForm(form);
}
for (const bar of document.querySelectorAll<HTMLElement>('[data-share-url]')) attachShare(bar);
// The server wrote each comment's age when it rendered the page; bringing a cached page's up to
// date can wait until the browser is idle, and is skipped on a page without any.
if (document.querySelector('time[data-relative]')) {
  const refresh = () => refreshRelativeTimes(document);
  if ('requestIdleCallback' in window) requestIdleCallback(refresh, { timeout: 2000 });
  else setTimeout(refresh, 50);
}
// Cookie-free analytics: started after load, when the browser is idle.
startBeacon();
