import { createHash } from 'node:crypto';

export const COMMENT_MAX = 5000;
export const NAME_MAX = 80;
export const EMAIL_MAX = 254;

/** The text as stored and counted: NFC-normalised, trimmed, with Windows line endings made plain. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

/** Characters that take no space: zero-width space, non-joiner and joiner, word joiner, byte order mark. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/** True when the text shows nothing: only whitespace and zero-width characters (or nothing at all). */
export function isBlank(text: string): boolean {
  return text.replace(ZERO_WIDTH, '').trim() === '';
}

/** Length as readers and the browser counter see it: Unicode code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

/** A piece of comment text: plain text, or a link to an http(s) address. */
export type Piece = { text: string } | { href: string; text: string };

/** Splits a paragraph into text and http(s) links (trailing punctuation stays text). */
export function linkify(paragraph: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of paragraph.matchAll(URL_RE)) {
    let url = m[0];
    const trail = TRAILING.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trail.length);
    const start = m.index ?? 0;
    if (start > last) pieces.push({ text: paragraph.slice(last, start) });
    if (isHttpUrl(url)) pieces.push({ href: url, text: url });
    else pieces.push({ text: url });
    last = start + url.length;
  }
  if (last < paragraph.length) pieces.push({ text: paragraph.slice(last) });
  return pieces;
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Paragraphs (split at blank lines), each a list of lines. */
export function paragraphs(body: string): string[][] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.trimEnd()))
    .filter((lines) => lines.some((l) => l.trim() !== ''));
}

export function countLinks(body: string): number {
  return (
    [...body.matchAll(URL_RE)].length +
    [...body.matchAll(/\bwww\.[a-z0-9-]+\.[a-z]{2,}/gi)].filter((m) => !/\/\/$/.test(body.slice(0, m.index))).length
  );
}

/** Lower-cased, accent-folded text for word-list matching. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a list that occur in the text as whole words (or phrases). */
export function matchWords(text: string, words: string[]): string[] {
  const folded = foldText(text);
  return words.filter((w) => {
    const f = foldText(w.trim());
    if (!f) return false;
    const escaped = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(folded);
  });
}

/** Same words in the same order, whatever the spacing and case: what "the same comment again" means. */
export function bodyHash(body: string): string {
  return createHash('sha256').update(foldText(body).replace(/\s+/g, ' ').trim()).digest('hex');
}
