import type { RevisionSnapshot } from './revision.service.js';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

// Past this much bookkeeping (very different texts) a changed block is shown as removed + added.
const MAX_TRACE = 4_000_000;

/** Myers' O(ND) diff: fast when the texts are mostly alike. Undefined when they differ too much. */
function myers(a: string[], b: string[]): DiffPart[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    if ((d + 1) * v.length > MAX_TRACE) return undefined;
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, off);
    }
  }
  return undefined;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], off: number): DiffPart[] {
  const out: DiffPart[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? k + 1 : k - 1;
    const prevX = v[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ kind: 'same', text: a[x] });
    }
    if (prevK === k + 1) out.push({ kind: 'added', text: b[prevY] });
    else out.push({ kind: 'removed', text: a[prevX] });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    out.push({ kind: 'same', text: a[x] });
  }
  return out.reverse();
}

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
  const middle = myers(x, y);
  if (middle) for (const p of middle) push(parts, p.kind, p.text);
  else {
    push(parts, 'removed', x.join(''));
    push(parts, 'added', y.join(''));
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
