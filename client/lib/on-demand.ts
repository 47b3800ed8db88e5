import { whenIdle } from './tasks.js';

/** Links and buttons whose clicks the enhancement handles (replying to a comment, cancelling the reply). */
const HANDLED_CLICKS = '[data-reply], [data-cancel-reply]';

/**
 * Loads and runs `enhance` for a part of the page below the first screen (the discussion and its
 * form) at the first of: the browser being idle, the part coming within a screen of the viewport,
 * or the reader pressing or focusing something in it. A submit or a reply click that comes before
 * the enhancement is ready is held and replayed once it is (or done as the plain page would do,
 * if the enhancement could not be loaded), so it is neither lost nor counted twice.
 */
export function enhanceWhenNeeded(part: Element, forms: HTMLFormElement[], enhance: () => Promise<void>): void {
  let ready: Promise<void> | undefined;
  let settled = false;
  const near = (entries: IntersectionObserverEntry[]) => {
    if (entries.some((e) => e.isIntersecting)) void start();
  };
  const observer = 'IntersectionObserver' in window ? new IntersectionObserver(near, { rootMargin: '100% 0px' }) : undefined;
  const start = () => {
    ready ??= enhance()
      .catch(() => undefined)
      .finally(() => {
        settled = true;
        removeEventListener('submit', hold, true);
        removeEventListener('click', hold, true);
      });
    observer?.disconnect();
    part.removeEventListener('focusin', start);
    part.removeEventListener('pointerdown', start);
    return ready;
  };
  // Capturing on the window runs before any other listener (the analytics beacon's among them).
  const hold = (event: Event) => {
    if (settled) return;
    const target = event.target as Element | null;
    if (event.type === 'submit') {
      const form = target as HTMLFormElement;
      if (!forms.includes(form)) return;
      const submitter = (event as SubmitEvent).submitter;
      event.preventDefault();
      event.stopImmediatePropagation();
      void start().then(() => form.requestSubmit(submitter));
      return;
    }
    const link = target?.closest?.<HTMLElement>(HANDLED_CLICKS);
    if (!link) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    void start().then(() => link.click());
  };
  addEventListener('submit', hold, true);
  addEventListener('click', hold, true);
  part.addEventListener('focusin', start);
  part.addEventListener('pointerdown', start);
  observer?.observe(part);
  whenIdle(start, 3000);
}
