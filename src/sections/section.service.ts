import { invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { toSlug } from '../text/slug.js';
import type { Section } from './section.table.js';

export async function listSections(db: Executor): Promise<Section[]> {
  return db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute();
}

export async function findSectionBySlug(db: Executor, slug: string): Promise<Section | undefined> {
  return db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** First path segments the site itself uses: a section there would be unreachable or hide a page. */
export const RESERVED_SECTION_SLUGS = new Set([
  'admin',
  'api',
  'assets',
  'audio',
  'author',
  'healthz',
  'login',
  'logout',
  'media',
  'metrics',
  'search',
  'tag',
]);

/** The section with this name (matched by slug), created at the end of the navigation when missing. */
export async function ensureSection(trx: Executor, input: { name: string; description?: string }): Promise<Section> {
  const slug = toSlug(input.name);
  const existing = await findSectionBySlug(trx, slug);
  if (existing) return existing;
  if (RESERVED_SECTION_SLUGS.has(slug)) {
    throw invalid(`"${input.name.trim()}" cannot be a section: /${slug} is a page of the site itself`, 'section');
  }
  const last = await trx
    .selectFrom('sections')
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  const position = Number(last?.max ?? 0) + 1;
  const row = await trx
    .insertInto('sections')
    .values({
      slug,
      name: input.name.trim(),
      description: input.description ?? '',
      position,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'section.changed', row.id, { slug });
  return row;
}

export async function findSectionById(db: Executor, id: number): Promise<Section | undefined> {
  return db.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The position after the last section of the navigation. */
export async function nextSectionPosition(db: Executor): Promise<number> {
  const last = await db
    .selectFrom('sections')
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  return Number(last?.max ?? 0) + 1;
}
