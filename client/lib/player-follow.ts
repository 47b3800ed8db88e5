import type { NarrationTimings } from '../../src/narration/narration.timings.js';

// The same rule the server uses to number the body's paragraphs (src/narration/narration.script.ts).
const BLOCK = new Set(['P', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'DT', 'DD']);
const SKIP = new Set(['PRE', 'TABLE', 'FIGURE', 'FIGCAPTION', 'SCRIPT', 'STYLE']);

function hasBlockInside(el: Element): boolean {
  for (const c of el.children) if (!SKIP.has(c.tagName) && (BLOCK.has(c.tagName) || hasBlockInside(c))) return true;
  return false;
}

export function bodyBlocks(body: Element): Element[] {
  const out: Element[] = [];
  const walk = (node: Element) => {
    for (const el of node.children) {
      if (SKIP.has(el.tagName)) continue;
      if (BLOCK.has(el.tagName) && !hasBlockInside(el)) out.push(el);
      else walk(el);
    }
  };
  walk(body);
  return out;
}

export interface Cue {
  time: number;
  el: Element | null;
  from: number;
  to: number;
  paragraph: number;
}

/** Every sentence with the element it is in, in time order. */
export function cues(timings: NarrationTimings, article: Element): Cue[] {
  const body = article.querySelector('.article-body');
  const blocks = body ? bodyBlocks(body) : [];
  const named: Record<string, Element | null> = {
    headline: article.querySelector('.article-header h1'),
    standfirst: article.querySelector('.article-header .standfirst'),
  };
  const list: Cue[] = [];
  timings.p.forEach((p, paragraph) => {
    const el = typeof p.t === 'number' ? (blocks[p.t] ?? null) : (named[p.t] ?? null);
    for (const [time, from, to] of p.s) list.push({ time, el, from, to, paragraph });
  });
  return list;
}

/** The cue being spoken at `time` (the last one that started). */
export function cueAt(list: Cue[], time: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].time <= time + 0.05) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A DOM Range over characters [from, to) of the element's text. */
export function textRange(el: Element, from: number, to: number): Range | null {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let offset = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.nodeValue?.length ?? 0;
    if (!started && from <= offset + length) {
      range.setStart(node, from - offset);
      started = true;
    }
    if (started && to <= offset + length) {
      range.setEnd(node, to - offset);
      return range;
    }
    offset += length;
  }
  return null;
}

interface HighlightRegistry {
  set(name: string, value: unknown): void;
  delete(name: string): void;
}

/** Marks the sentence being read: a CSS highlight where the browser has them, else the whole paragraph. */
export function highlighter() {
  const registry = (globalThis.CSS as unknown as { highlights?: HighlightRegistry })?.highlights;
  const HighlightCtor = (globalThis as unknown as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
  let current: Element | null = null;
  return (cue: Cue | undefined) => {
    if (current && current !== cue?.el) current.classList.remove('is-reading');
    current = cue?.el ?? null;
    current?.classList.add('is-reading');
    if (!registry || !HighlightCtor) return;
    const range = cue?.el ? textRange(cue.el, cue.from, cue.to) : null;
    if (range) registry.set('narration', new HighlightCtor(range));
    else registry.delete('narration');
  };
}
