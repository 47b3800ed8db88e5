import { attachCommentForm, refreshRelativeTimes } from './lib/comment-form.js';
import { attachCounter } from './lib/counter.js';
import { attachShare } from './lib/share.js';

for (const form of document.querySelectorAll<HTMLFormElement>('[data-comment-form]')) {
  const textarea = form.querySelector<HTMLTextAreaElement>('textarea[data-max]');
  const counter = form.querySelector<HTMLElement>('[data-counter]');
  if (textarea && counter) attachCounter(textarea, counter);
  attachCommentForm(form);
}
refreshRelativeTimes(document);
for (const bar of document.querySelectorAll<HTMLElement>('[data-share-url]')) attachShare(bar);
