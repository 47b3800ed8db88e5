import type { Cue } from './player-follow.js';
import { whenIdle } from './tasks.js';

/** Paragraph buttons added per idle task. */
const BUTTONS_PER_TASK = 8;

/** Where each narrated paragraph starts: the headline's first sentence, then each element's first. */
export function paragraphStarts(list: Cue[]): Cue[] {
  const seen = new Set<number>();
  const out: Cue[] = [];
  for (const cue of list) {
    if (seen.has(cue.paragraph)) continue;
    seen.add(cue.paragraph);
    out.push(cue);
  }
  return out;
}

/** The start of the paragraph after (or before) the one being read at `time`. */
export function neighbourStart(starts: Cue[], time: number, step: 1 | -1): number | undefined {
  let at = -1;
  for (const [i, s] of starts.entries()) if (s.time <= time + 0.05) at = i;
  // "Back" within the first seconds of a paragraph goes to the one before, as a music player does.
  if (step === -1 && at >= 0 && time - starts[at].time > 3) return starts[at].time;
  return starts[at + step]?.time ?? (step === -1 ? 0 : undefined);
}

const snippet = (el: Element | null) => {
  const text = (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
};

/**
 * "Listen from here" for each paragraph, in two forms: a small play button in the paragraph's
 * margin for pointers and touch (out of the reading and tab order: a screen reader does not hear
 * a button before every paragraph), and one "Listen from" list in the player that reaches every
 * paragraph by keyboard. Added while the browser is idle, a few paragraphs at a time: each
 * addition lays the article out again.
 */
export function attachParagraphs(root: HTMLElement, starts: () => Cue[], playFrom: (time: number) => void): void {
  const from = root.querySelector<HTMLSelectElement>('[data-player-from]');
  from?.addEventListener('change', () => {
    if (from.value !== '') playFrom(Number(from.value));
  });
  whenIdle(() => {
    const body = starts().filter((c) => c.el?.closest('.article-body'));
    if (from) {
      from.append(
        ...body.map((cue, i) => {
          const o = document.createElement('option');
          o.value = String(cue.time);
          o.textContent = `${i + 1}. ${snippet(cue.el)}`;
          return o;
        }),
      );
    }
    const pending = body.filter((c, i) => body.findIndex((d) => d.el === c.el) === i);
    const next = () => {
      for (const cue of pending.splice(0, BUTTONS_PER_TASK)) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'para-play';
        b.tabIndex = -1;
        b.setAttribute('aria-hidden', 'true');
        b.title = 'Listen from this paragraph';
        b.addEventListener('click', () => playFrom(cue.time));
        cue.el?.classList.add('is-narrated');
        cue.el?.prepend(b);
      }
      if (pending.length) whenIdle(next);
    };
    next();
  });
}
