import { ABBREVIATIONS, MONTH_ABBREVIATIONS, SENTENCE_STARTERS, STATES, TITLES } from './english.lexicon.js';

export interface SentenceSpan {
  text: string;
  /** Offsets into the text that was split, in UTF-16 code units (as the browser's DOM counts). */
  start: number;
  end: number;
}

const NEVER_ENDS = new Set([...Object.keys(TITLES), ...Object.keys(MONTH_ABBREVIATIONS), 'No', 'St', 'vs', 'approx']);
const TIME_ZONES = new Set(['Eastern', 'Central', 'Mountain', 'Pacific', 'ET', 'PT', 'CT', 'MT', 'GMT', 'UTC', 'BST']);
const MAY_END = new Set([...Object.keys(ABBREVIATIONS), ...Object.keys(STATES)]);

/** Whether the punctuation at `at` (a ".") closes a sentence, judging by the word before it and the word after. */
function endsSentence(text: string, at: number, next: string): boolean {
  const before = /([\p{L}.]+)$/u.exec(text.slice(0, at))?.[1] ?? '';
  const word = before.replace(/^\.+/, '');
  if (NEVER_ENDS.has(word)) return false;
  // A single capital is an initial ("James T. Kirk"); dotted abbreviations ("U.S.", "a.m.") and
  // known abbreviations may end a sentence, but only a typical sentence opener proves it.
  if (/^\p{Lu}$/u.test(word)) return false;
  if (/^[ap]\.m$/i.test(word)) return !TIME_ZONES.has(next);
  if (word.includes('.') || MAY_END.has(word)) return SENTENCE_STARTERS.has(next);
  return true;
}

/** Splits a paragraph into sentences, keeping offsets so the page can highlight each one. */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const boundary = /([.!?…]+)["'”’)\]]*(\s+)(?=["“‘([]?([\p{Lu}\p{N}][\p{L}\p{N}]*))/gu;
  let start = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const punctAt = m.index;
    const isPeriodOnly = m[1] === '.';
    if (isPeriodOnly && !endsSentence(text, punctAt, m[3])) continue;
    const end = m.index + m[0].length - m[2].length;
    push(spans, text, start, end);
    start = m.index + m[0].length;
  }
  push(spans, text, start, text.length);
  return spans;
}

function push(spans: SentenceSpan[], text: string, from: number, to: number) {
  let s = from;
  let e = to;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e > s && /[\p{L}\p{N}]/u.test(text.slice(s, e))) spans.push({ text: text.slice(s, e), start: s, end: e });
}
