import type * as Yaml from 'yaml';
import { lazy } from '../lazy.js';
import { isValidSlug, toSlug } from '../text/slug.js';
import { parseDateTime } from '../text/time.js';

const yaml = lazy<typeof Yaml>('yaml');

/** Why a Markdown file cannot be published: which field and what is wrong with it. */
export class FrontMatterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ArticleFile {
  headline: string;
  standfirst: string;
  section: string;
  authors: string[];
  published: Date | undefined;
  slug: string;
  tags: string[];
  hero: string | undefined;
  heroAlt: string;
  heroCaption: string;
  heroCredit: string;
  commentsOpen: boolean;
  body: string;
}

const KNOWN = new Set([
  'headline',
  'standfirst',
  'section',
  'authors',
  'published',
  'slug',
  'tags',
  'hero',
  'hero_alt',
  'hero_caption',
  'hero_credit',
  'comments',
]);

function text(data: Record<string, unknown>, key: string, opts: { required?: boolean; max?: number } = {}): string {
  const value = data[key];
  if (value === undefined || value === null || value === '') {
    if (opts.required) throw new FrontMatterError(key, `"${key}" is missing`);
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new FrontMatterError(key, `"${key}" must be text`);
  const s = String(value).trim();
  if (opts.required && !s) throw new FrontMatterError(key, `"${key}" is empty`);
  if (opts.max && s.length > opts.max) throw new FrontMatterError(key, `"${key}" is longer than ${opts.max} characters`);
  return s;
}

function list(data: Record<string, unknown>, key: string): string[] {
  const value = data[key];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!items || items.some((i) => typeof i !== 'string' && typeof i !== 'number')) {
    throw new FrontMatterError(key, `"${key}" must be a list such as [First, Second]`);
  }
  return items.map((i) => String(i).trim()).filter(Boolean);
}

/** Splits a Markdown file into its front matter and body, and validates the front matter (SPEC §6). */
export function parseArticleFile(source: string, timeZone = 'UTC'): { article: ArticleFile; extra: Record<string, unknown> } {
  const normalised = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(normalised);
  if (!match) throw new FrontMatterError('front matter', 'the file must start with front matter between two "---" lines');
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(match[1], { prettyErrors: false, lineCounter });
  if (doc.errors.length) {
    const err = doc.errors[0];
    // Lines of the file: the front matter starts on line 2, after the opening "---".
    const line = lineCounter.linePos(err.pos[0]).line + 1;
    throw new FrontMatterError('front matter', `YAML error on line ${line}: ${err.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('front matter', 'the front matter must be a set of "key: value" lines');
  }
  const fm = data as Record<string, unknown>;
  const headline = text(fm, 'headline', { required: true, max: 300 });
  const section = text(fm, 'section', { required: true, max: 80 });
  const authors = list(fm, 'authors');
  if (authors.length === 0) throw new FrontMatterError('authors', '"authors" is missing: name at least one author');

  let published: Date | undefined;
  const rawPublished = fm.published;
  if (rawPublished instanceof Date) published = rawPublished;
  else if (rawPublished !== undefined && rawPublished !== null && rawPublished !== '') {
    published = parseDateTime(String(rawPublished), timeZone);
    if (!published) {
      throw new FrontMatterError('published', `"published" has an unknown date format "${String(rawPublished)}": use 2026-11-20T09:00:00Z`);
    }
  }

  const slug = text(fm, 'slug') || toSlug(headline);
  if (!isValidSlug(slug)) {
    throw new FrontMatterError('slug', `"slug" must be lower-case letters, digits and hyphens, got "${slug}"`);
  }
  const comments = fm.comments ?? 'open';
  if (!['open', 'closed', true, false].includes(comments as string | boolean)) {
    throw new FrontMatterError('comments', '"comments" must be "open" or "closed"');
  }
  const hero = text(fm, 'hero') || undefined;
  const heroAlt = text(fm, 'hero_alt', { max: 500 });
  if (hero && !heroAlt)
    throw new FrontMatterError('hero_alt', '"hero_alt" is missing: describe the hero image for readers who cannot see it');
  const body = normalised.slice(match[0].length).trim();
  if (!body) throw new FrontMatterError('body', 'the article has no body text after the front matter');

  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fm)) if (!KNOWN.has(k)) extra[k] = v;
  return {
    article: {
      headline,
      standfirst: text(fm, 'standfirst', { max: 1000 }),
      section,
      authors,
      published,
      slug,
      tags: list(fm, 'tags'),
      hero,
      heroAlt,
      heroCaption: text(fm, 'hero_caption', { max: 1000 }),
      heroCredit: text(fm, 'hero_credit', { max: 300 }),
      commentsOpen: comments === 'open' || comments === true,
      body,
    },
    extra,
  };
}
