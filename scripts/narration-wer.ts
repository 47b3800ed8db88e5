/** Word error rate, with both sides written the same way first, so only what was heard differently counts. */
import { random } from '../src/demo/random.js';
import { number } from '../src/narration/numbers.speller.js';
import { americanSpelling } from './narration-spelling.js';

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

/** Lower case, no punctuation or hyphens, digits as words, "dr" as "doctor", one spelling ("centre" as "center"), spelled letters ("u s", "u.s.") as one word. */
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
    .map((w) => SAME[w] ?? americanSpelling(w));
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
function joinCompounds(words: string[], other: Set<string>): { words: string[]; from: number[] } {
  const out: string[] = [];
  const from: number[] = [];
  for (let i = 0; i < words.length; i++) {
    from.push(i);
    if (i + 1 < words.length && !other.has(words[i]) && other.has(words[i] + words[i + 1])) {
      out.push(words[i] + words[i + 1]);
      i++;
    } else out.push(words[i]);
  }
  return { words: out, from };
}

export type Tally = { errors: number; words: number };

/**
 * Edit distance in words (substitutions, insertions, deletions), split at a word of the
 * reference: the errors on its first `at` words (an insertion counts with the word it comes
 * before) and on the rest, each against its own length.
 */
export function wordErrorsSplit(said: string[], heard: string[], at: number): { first: Tally; rest: Tally } {
  const hypothesis = joinCompounds(heard, new Set(said)).words;
  const { words: reference, from } = joinCompounds(said, new Set(hypothesis));
  const n = reference.length;
  const m = hypothesis.length;
  const d = Array.from({ length: n + 1 }, (_, i) => Int32Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
  }
  // Walk back along one cheapest path, counting each error against the reference word it concerns.
  let first = 0;
  let rest = 0;
  const count = (i: number) => {
    if ((from[Math.min(i, n - 1)] ?? 0) < at) first++;
    else rest++;
  };
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const same = i > 0 && j > 0 && reference[i - 1] === hypothesis[j - 1];
    if (i > 0 && j > 0 && d[i][j] === d[i - 1][j - 1] + (same ? 0 : 1)) {
      if (!same) count(i - 1);
      i--;
      j--;
    } else if (i > 0 && d[i][j] === d[i - 1][j] + 1) {
      count(i - 1);
      i--;
    } else {
      count(i);
      j--;
    }
  }
  const head = Math.min(at, said.length);
  return { first: { errors: first, words: head }, rest: { errors: rest, words: said.length - head } };
}

/** Edit distance in words (substitutions, insertions, deletions) against the reference's length. */
export function wordErrors(said: string[], heard: string[]): Tally {
  const { first, rest } = wordErrorsSplit(said, heard, 0);
  return { errors: first.errors + rest.errors, words: first.words + rest.words };
}

/** A 95 % interval of the pooled error rate over texts like these: the texts resampled with replacement (seeded, so repeatable). */
export function interval(texts: Tally[], draws = 2000): [number, number] {
  const next = random(1);
  const rates: number[] = [];
  for (let k = 0; k < draws; k++) {
    let errors = 0;
    let words = 0;
    for (let t = 0; t < texts.length; t++) {
      const pick = texts[Math.floor(next() * texts.length)];
      errors += pick.errors;
      words += pick.words;
    }
    rates.push(words ? errors / words : 0);
  }
  rates.sort((a, b) => a - b);
  return [rates[Math.floor(draws * 0.025)], rates[Math.ceil(draws * 0.975) - 1]];
}
