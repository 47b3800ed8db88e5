import { attachCommentForm } from './comment-form.js';
import { attachCounter } from './counter.js';

/** Everything a comment form gets from the script: its character counter, checks and sending in place. Loaded when needed. */
export function setUpCommentForm(form: HTMLFormElement): void {
  const textarea = form.querySelector<HTMLTextAreaElement>('textarea[data-max]');
  const counter = form.querySelector<HTMLElement>('[data-counter]');
  if (textarea && counter) attachCounter(textarea, counter);
  attachCommentForm(form);
}
