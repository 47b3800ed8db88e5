/** Word error rate, with both sides written the same way first, so only what was heard differently counts. */
import { number } from '../src/narration/numbers.speller.js';

const SAME: Record<string, string> = {
  dr: 'doctor',
  mr: 'mister',
  mrs: 'missus',
  ms: 'miz',
  st: 'saint',
  percent: 'percent',
  per_cent: 'percent',
  ok: 'okay',
  vs: 'versus',
};

/** Lower case, no punctuation or hyphens, digits as words, "dr" as "doctor", spelled letters ("u s", "u.s.") as one word. */
export function canonicalWords(text: string): string[] {
  const words = text
    .toLowerCase()
    .replace(/\bper cent\b/g, 'percent')
    .replace(/\d[\d,]*(?:\.\d+)?/g, (n) => ` ${number(n)} `)
    .replace(/([a-z])\.(?=[a-z]\.)/g, '$1 ')
    .replace(/[-–—/]/g, ' ')
    .replace(/[^a-z0-9' ]/g, ' ')
    .split(/\s+/)
    // Apostrophes are not heard: "bank's" and "banks" sound the same.
    .map((w) => w.replace(/'/g, ''))
    .filter(Boolean)
    .map((w) => SAME[w] ?? w);
  // "u s" → "us": runs of two or more single letters are one spelled word.
  const out: string[] = [];
  let letters = '';
  const flush = () => {
    if (letters.length >= 2) out.push(letters);
    else if (letters) out.push(letters);
    letters = '';
  };
  for (const w of words) {
    if (w.length === 1 && /[a-z]/.test(w) && w !== 'a') letters += w;
    else {
      flush();
      out.push(w);
    }
  }
  flush();
  return out;
}

/** "euro zone" heard for "eurozone" (or the other way round) is one word written two ways, not two errors. */
function joinCompounds(words: string[], other: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (i + 1 < words.length && !other.has(words[i]) && other.has(words[i] + words[i + 1])) {
      out.push(words[i] + words[i + 1]);
      i++;
    } else out.push(words[i]);
  }
  return out;
}

/** Edit distance in words (substitutions, insertions, deletions) against the reference's length. */
export function wordErrors(said: string[], heard: string[]): { errors: number; words: number } {
  const hypothesis = joinCompounds(heard, new Set(said));
  const reference = joinCompounds(said, new Set(hypothesis));
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return { errors: prev[hypothesis.length], words: said.length };
}
