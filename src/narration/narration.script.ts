import { parseDocument } from 'htmlparser2';
import { applyLexicon, type Pronunciation } from './lexicon.apply.js';
import { splitSentences } from './sentence.splitter.js';
import { speakable } from './text.normalizer.js';

/**
 * Which element a paragraph of the narration belongs to. Body blocks are numbered in document
 * order by the rule in `bodyBlocks` (the page's player applies the same rule to find them).
 */
export type Target = 'headline' | 'standfirst' | 'byline' | 'correction' | number;

export interface ScriptSentence {
  /** As written, and where in the element's text (textContent, UTF-16 offsets). */
  text: string;
  start: number;
  end: number;
  /** As the engine should read it. */
  spoken: string;
}

export interface ScriptParagraph {
  target: Target;
  sentences: ScriptSentence[];
}

export interface ScriptInput {
  headline: string;
  standfirst: string;
  authors: string[];
  /** The sanitised body HTML, exactly as the page shows it. */
  bodyHtml: string;
  corrections?: string[];
  locale: string;
  /** The pronunciation lexicon (the site's with the article's overrides), applied before normalising. */
  lexicon?: Pronunciation[];
}

interface Element {
  type: string;
  name: string;
  children?: unknown[];
}

/** Elements that are read as paragraphs; the innermost one wins ("<li><p>…" is read as the p). */
export const BLOCK_TAGS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd']);
/** Not read at all: code, tables, figures and their captions. */
export const SKIPPED_TAGS = new Set(['pre', 'table', 'figure', 'figcaption', 'script', 'style']);

function elementChildren(node: { children?: unknown[] }): Element[] {
  return ((node.children ?? []) as Element[]).filter((c) => c.type === 'tag');
}

function textOf(node: { children?: unknown[] }): string {
  let out = '';
  for (const child of (node.children ?? []) as any[]) {
    if (child.type === 'text') out += child.data;
    else if (child.children) out += textOf(child);
  }
  return out;
}

function hasBlockInside(el: Element): boolean {
  return elementChildren(el).some(
    (c) => (BLOCK_TAGS.has(c.name) && !SKIPPED_TAGS.has(c.name)) || (!SKIPPED_TAGS.has(c.name) && hasBlockInside(c)),
  );
}

/** The body's readable blocks in document order, with their text as the browser's textContent gives it. */
export function bodyBlocks(html: string): string[] {
  const blocks: string[] = [];
  const walk = (node: { children?: unknown[] }) => {
    for (const el of elementChildren(node)) {
      if (SKIPPED_TAGS.has(el.name)) continue;
      if (BLOCK_TAGS.has(el.name) && !hasBlockInside(el)) blocks.push(textOf(el));
      else walk(el);
    }
  };
  walk(parseDocument(html, { decodeEntities: true }));
  return blocks;
}

function paragraph(target: Target, text: string, locale: string, lexicon: Pronunciation[] = []): ScriptParagraph | undefined {
  // Only the spoken text changes: offsets still point into the text as the page shows it, and a
  // paragraph's cache key (its spoken sentences) changes only where a lexicon entry applies.
  const sentences = splitSentences(text)
    .map((s) => ({ ...s, spoken: speakable(applyLexicon(s.text, lexicon), locale) }))
    .filter((s) => s.spoken);
  return sentences.length ? { target, sentences } : undefined;
}

function byline(authors: string[]): string {
  if (authors.length === 0) return '';
  const names = authors.length === 1 ? authors[0] : `${authors.slice(0, -1).join(', ')} and ${authors[authors.length - 1]}`;
  return `By ${names}.`;
}

/** What the narration reads, in order: headline, standfirst, byline, body, then any corrections. */
export function buildScript(input: ScriptInput): ScriptParagraph[] {
  const { locale, lexicon } = input;
  const parts = [
    paragraph('headline', input.headline, locale, lexicon),
    paragraph('standfirst', input.standfirst, locale, lexicon),
    paragraph('byline', byline(input.authors), locale, lexicon),
    ...bodyBlocks(input.bodyHtml).map((text, i) => paragraph(i, text, locale, lexicon)),
    ...(input.corrections ?? []).map((text) => paragraph('correction', `Correction: ${text}`, locale, lexicon)),
  ];
  return parts.filter((p): p is ScriptParagraph => p !== undefined);
}
