import { Type } from 'typebox';
import { ARTICLE_STATUSES } from './article.table.js';

/** The JSON API's article: the front-matter fields, plus body (Markdown), status, id and URL. */
const Status = Type.Union(
  ARTICLE_STATUSES.map((s) => Type.Literal(s)),
  { description: 'Workflow state' },
);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ArticleSchema = Type.Object({
  id: Type.Integer(),
  url: Type.String({ description: 'Path of the reader page: /{section}/{slug}' }),
  status: Status,
  headline: Type.String(),
  standfirst: Type.String(),
  section: Type.String({ description: 'Section name' }),
  authors: Type.Array(Type.String(), { description: 'Byline, in order' }),
  tags: Type.Array(Type.String()),
  slug: Type.String(),
  published: Nullable(Type.String({ description: 'ISO 8601 UTC: publication time (or the scheduled time)' })),
  updated: Nullable(Type.String({ description: 'ISO 8601 UTC: last change after publication' })),
  hero: Type.Union([Type.Object({ id: Type.Integer(), width: Type.Integer(), height: Type.Integer(), url: Type.String() }), Type.Null()]),
  hero_alt: Type.String(),
  hero_caption: Type.String(),
  hero_credit: Type.String(),
  comments: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  body: Type.String({ description: 'Markdown' }),
  word_count: Type.Integer(),
});

const writable = {
  headline: Type.String({ maxLength: 300 }),
  standfirst: Type.String({ maxLength: 1000 }),
  section: Type.String({ maxLength: 80, description: 'Section name or slug; editors may name a new one' }),
  authors: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), {
    maxItems: 20,
    description: 'People by name; new names become bylines',
  }),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 30 }),
  slug: Type.String({ maxLength: 120, description: 'Omitted: derived from the headline' }),
  published: Type.Union([Type.String({ maxLength: 40, description: 'ISO 8601; without an offset: the site time zone' }), Type.Null()]),
  hero_media_id: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'An image of the media library' }),
  hero_alt: Type.String({ maxLength: 500 }),
  hero_caption: Type.String({ maxLength: 1000 }),
  hero_credit: Type.String({ maxLength: 300 }),
  comments: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  body: Type.String({ maxLength: 200_000, description: 'Markdown' }),
  status: Status,
};

export const ArticleCreateSchema = Type.Object(
  {
    ...Object.fromEntries(Object.entries(writable).map(([k, v]) => [k, Type.Optional(v)])),
    headline: writable.headline,
    section: writable.section,
    body: writable.body,
  } as { [K in keyof typeof writable]: ReturnType<typeof Type.Optional<(typeof writable)[K]>> } & Pick<
    typeof writable,
    'headline' | 'section' | 'body'
  >,
  { additionalProperties: false },
);

export const ArticlePatchSchema = Type.Object(
  Object.fromEntries(Object.entries(writable).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof typeof writable]: ReturnType<typeof Type.Optional<(typeof writable)[K]>>;
  },
  { additionalProperties: false },
);

export const ArticleListQuery = Type.Object({
  section: Type.Optional(Type.String({ maxLength: 120, description: 'Section slug' })),
  tag: Type.Optional(Type.String({ maxLength: 120, description: 'Tag slug' })),
  author: Type.Optional(Type.String({ maxLength: 120, description: 'Author slug' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const ArticleListSchema = Type.Object({
  articles: Type.Array(ArticleSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }),
});

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) });

export const ApiErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});

/** What a client may send, as plain TypeScript. */
export interface ArticleBody {
  headline?: string;
  standfirst?: string;
  section?: string;
  authors?: string[];
  tags?: string[];
  slug?: string;
  published?: string | null;
  hero_media_id?: number | null;
  hero_alt?: string;
  hero_caption?: string;
  hero_credit?: string;
  comments?: 'open' | 'closed';
  body?: string;
  status?: (typeof ARTICLE_STATUSES)[number];
}
