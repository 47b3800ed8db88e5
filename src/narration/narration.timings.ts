import type { Target } from './narration.script.js';

/**
 * Where each paragraph and sentence is heard, as sent to the page's player: `p` lists the
 * paragraphs with their target element; each sentence is [start in seconds, from, to], the
 * offsets locating it in the element's text.
 */
export interface NarrationTimings {
  v: 1;
  p: { t: Target; s: [number, number, number][] }[];
}
