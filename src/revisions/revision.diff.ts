import type { RevisionSnapshot } from './revision.service.js';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

// Above this many comparisons a changed block is shown as removed + added instead of word by word.
const MAX_CELLS = 1_000_000;

function push(parts: DiffPart[], kind: DiffPart['kind'], text: string) {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.kind === kind) last.text += text;
  else parts.push({ kind, text });
}

/** Longest-common-subsequence diff of two token lists (common ends trimmed first). */
export function diffTokens(a: string[], b: string[]): DiffPart[] {
  const parts: DiffPart[] = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  push(parts, 'same', a.slice(0, start).join(''));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    push(parts, 'removed', x.join(''));
    push(parts, 'added', y.join(''));
  } else {
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      if (x[i] === y[j]) {
        push(parts, 'same', x[i]);
        i++;
        j++;
      } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) push(parts, 'removed', x[i++]);
      else push(parts, 'added', y[j++]);
    }
    while (i < x.length) push(parts, 'removed', x[i++]);
    while (j < y.length) push(parts, 'added', y[j++]);
  }
  push(parts, 'same', a.slice(endA).join(''));
  return parts;
}

const words = (text: string) => text.split(/(\s+)/).filter(Boolean);
const lines = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * Word-level diff of two texts. Long texts are compared line by line first, and only the
 * changed lines word by word, so a long article stays fast to compare.
 */
export function diffText(before: string, after: string): DiffPart[] {
  const byLine = diffTokens(lines(before), lines(after));
  const parts: DiffPart[] = [];
  for (let k = 0; k < byLine.length; k++) {
    const p = byLine[k];
    const next = byLine[k + 1];
    if (p.kind === 'removed' && next?.kind === 'added') {
      for (const w of diffTokens(words(p.text), words(next.text))) push(parts, w.kind, w.text);
      k++;
    } else push(parts, p.kind, p.text);
  }
  return parts;
}

export interface FieldDiff {
  label: string;
  parts: DiffPart[];
}

const FIELDS: [string, (s: RevisionSnapshot) => string][] = [
  ['Headline', (s) => s.headline],
  ['Standfirst', (s) => s.standfirst],
  ['Slug', (s) => s.slug],
  ['Status', (s) => s.status.replace('_', ' ')],
  ['Publication time', (s) => s.publishedAt ?? ''],
  ['Section', (s) => s.section],
  ['Authors', (s) => s.authors.map((a) => a.name).join(', ')],
  ['Tags', (s) => s.tags.map((t) => t.name).join(', ')],
  ['Hero image', (s) => (s.heroMediaId ? `#${s.heroMediaId}` : 'none')],
  ['Hero alt text', (s) => s.heroAlt],
  ['Hero caption', (s) => s.heroCaption],
  ['Hero credit', (s) => s.heroCredit],
  ['Comments', (s) => (s.commentsOpen ? 'open' : 'closed')],
  ['Body', (s) => s.bodyMd],
];

/** The fields that differ between two revisions, each with its word-level diff. */
export function diffSnapshots(a: RevisionSnapshot, b: RevisionSnapshot): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [label, get] of FIELDS) {
    const x = get(a);
    const y = get(b);
    if (x !== y) out.push({ label, parts: diffText(x, y) });
  }
  return out;
}
