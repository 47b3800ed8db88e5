import { AppError, conflict, invalid, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { followPage } from '../redirects/redirect.service.js';
import { indexArticle } from '../search/search.index.js';
import { RESERVED_SECTION_SLUGS } from '../sections/section.service.js';
import { isValidSlug, toSlug } from '../text/slug.js';

export interface SectionInput {
  name: string;
  slug: string;
  description: string;
  position: number;
}

async function checkSection(trx: Executor, input: SectionInput, selfId?: number): Promise<SectionInput> {
  const name = input.name.trim();
  if (!name || name.length > 80) throw invalid('Give the section a name of 1 to 80 characters.', 'name');
  const slug = input.slug.trim() || toSlug(name);
  if (!isValidSlug(slug)) throw invalid('The slug may only have lower-case letters, digits and single hyphens.', 'slug');
  if (RESERVED_SECTION_SLUGS.has(slug)) throw invalid(`/${slug} is a page of the site itself: choose another slug.`, 'slug');
  const description = input.description.trim();
  if (description.length > 500) throw invalid('The description has at most 500 characters.', 'description');
  if (!Number.isInteger(input.position) || input.position < 0 || input.position > 10_000) {
    throw invalid('The order is a whole number from 0 to 10000.', 'position');
  }
  let q = trx.selectFrom('sections').select('id').where('slug', '=', slug);
  if (selfId !== undefined) q = q.where('id', '!=', selfId);
  if (await q.executeTakeFirst()) throw conflict(`Another section already uses /${slug}.`, 'slug');
  return { name, slug, description, position: input.position };
}

export async function createSection(trx: Executor, input: SectionInput): Promise<number> {
  const s = await checkSection(trx, input);
  const row = await trx
    .insertInto('sections')
    .values({ ...s, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'section.changed', row.id, { slug: s.slug });
  return row.id;
}

/** Renaming or re-slugging a section moves its page and its articles' addresses. */
export async function updateSection(trx: Executor, id: number, input: SectionInput): Promise<void> {
  const old = await trx.selectFrom('sections').select(['id', 'slug']).where('id', '=', id).executeTakeFirst();
  if (!old) throw notFound('No such section.');
  const s = await checkSection(trx, input, id);
  await trx.updateTable('sections').set(s).where('id', '=', id).execute();
  // The section page and every article under it keep answering at the old address (301).
  await followPage(trx, { from: `/${old.slug}`, to: `/${s.slug}` });
  await recordEvent(trx, 'section.changed', id, { slug: s.slug, previousSlug: old.slug });
}

/** Renames a tag (its address follows the new name); a name another tag has calls for a merge instead. */
export async function renameTag(trx: Executor, id: number, name: string): Promise<void> {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean || clean.length > 80) throw invalid('Give the tag a name of 1 to 80 characters.', 'name');
  const tag = await trx.selectFrom('tags').select(['id', 'slug']).where('id', '=', id).executeTakeFirst();
  if (!tag) throw notFound('No such tag.');
  const slug = toSlug(clean);
  const other = await trx.selectFrom('tags').select('name').where('slug', '=', slug).where('id', '!=', id).executeTakeFirst();
  if (other) throw conflict(`The tag "${other.name}" already exists: merge into it instead.`, 'name');
  await trx.updateTable('tags').set({ name: clean, slug }).where('id', '=', id).execute();
  await followPage(trx, { from: `/tag/${tag.slug}`, to: `/tag/${slug}` });
  await reindexLinked(trx, { tagId: id });
  await recordEvent(trx, 'tag.changed', id, { slug, previousSlug: tag.slug });
}

/** The tag a merge names: by its name or its address (as typed in the merge field), or by its id. */
export async function tagIdFor(trx: Executor, typed: string): Promise<number> {
  const value = typed.trim();
  if (!value) throw invalid('Type the name of the tag to merge into.', 'target');
  const named = await trx.selectFrom('tags').select('id').where('slug', '=', toSlug(value)).executeTakeFirst();
  if (named) return named.id;
  const id = /^\d{1,15}$/.test(value) ? Number(value) : undefined;
  const byId = id === undefined ? undefined : await trx.selectFrom('tags').select('id').where('id', '=', id).executeTakeFirst();
  if (byId) return byId.id;
  throw invalid(`There is no tag named “${value.slice(0, 80)}”: choose one from the list.`, 'target');
}

/** Moves every article of one tag to another and removes the first. */
export async function mergeTags(trx: Executor, sourceId: number, targetId: number): Promise<void> {
  if (sourceId === targetId) throw invalid('Choose another tag to merge into.', 'target');
  const [source, target] = await Promise.all([
    trx.selectFrom('tags').select(['id', 'slug']).where('id', '=', sourceId).executeTakeFirst(),
    trx.selectFrom('tags').select(['id', 'slug']).where('id', '=', targetId).executeTakeFirst(),
  ]);
  if (!source || !target) throw notFound('No such tag.');
  const moving = await trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', sourceId).execute();
  const already = new Set(
    (await trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', targetId).execute()).map((r) => r.article_id),
  );
  const rows = moving.filter((r) => !already.has(r.article_id)).map((r) => ({ article_id: r.article_id, tag_id: targetId }));
  if (rows.length) await trx.insertInto('article_tags').values(rows).execute();
  await trx.deleteFrom('article_tags').where('tag_id', '=', sourceId).execute();
  await trx.deleteFrom('tags').where('id', '=', sourceId).execute();
  await followPage(trx, { from: `/tag/${source.slug}`, to: `/tag/${target.slug}` });
  await reindexLinked(trx, { tagId: targetId });
  await recordEvent(trx, 'tag.changed', targetId, { slug: target.slug, merged: source.slug });
}

/** Re-indexes the published articles a tag or a byline is on: tag and author names are part of their search text. */
async function reindexLinked(trx: Executor, link: { tagId: number } | { personId: number }): Promise<void> {
  const linked =
    'tagId' in link
      ? trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', link.tagId)
      : trx.selectFrom('article_authors').select('article_id').where('person_id', '=', link.personId);
  const rows = await trx.selectFrom('articles').select('id').where('status', '=', 'published').where('id', 'in', linked).execute();
  for (const r of rows) await indexArticle(trx, r.id);
}

/** An author profile: the name on bylines, a short biography and a photo. The address (slug) stays. */
export async function updatePerson(
  trx: Executor,
  id: number,
  input: { name: string; bio: string; photoMediaId?: number | null },
): Promise<void> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name || name.length > 80) throw invalid('Give the author a name of 1 to 80 characters.', 'name');
  const bio = input.bio.trim();
  if (bio.length > 2000) throw invalid('The biography has at most 2000 characters.', 'bio');
  const person = await trx.selectFrom('people').select(['id', 'slug', 'name']).where('id', '=', id).executeTakeFirst();
  if (!person) throw notFound('No such author.');
  if (input.photoMediaId) {
    const media = await trx.selectFrom('media').select('id').where('id', '=', input.photoMediaId).executeTakeFirst();
    if (!media) throw new AppError('invalid', 'That photo is not in the media library.', 'photo');
  }
  await trx
    .updateTable('people')
    .set({ name, bio, ...(input.photoMediaId !== undefined ? { photo_media_id: input.photoMediaId } : {}) })
    .where('id', '=', id)
    .execute();
  if (name !== person.name) await reindexLinked(trx, { personId: id });
  await recordEvent(trx, 'person.changed', id, { slug: person.slug });
}

/** A new tag (for the JSON API and scripts): the same name rules as a rename; a name another tag has is a 409. */
export async function createTag(trx: Executor, name: string): Promise<number> {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean || clean.length > 80) throw invalid('Give the tag a name of 1 to 80 characters.', 'name');
  const slug = toSlug(clean);
  if (!isValidSlug(slug)) throw invalid('The name needs at least one letter or digit.', 'name');
  const other = await trx.selectFrom('tags').select('name').where('slug', '=', slug).executeTakeFirst();
  if (other) throw conflict(`The tag "${other.name}" already exists at /tag/${slug}.`, 'name');
  const row = await trx.insertInto('tags').values({ slug, name: clean }).returning('id').executeTakeFirstOrThrow();
  await recordEvent(trx, 'tag.changed', row.id, { slug });
  return row.id;
}

/** A new author profile (for the JSON API and scripts): the same rules as updatePerson; a slug taken is a 409. */
export async function createPerson(
  trx: Executor,
  input: { name: string; slug?: string; bio: string; photoMediaId?: number | null },
): Promise<number> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name || name.length > 80) throw invalid('Give the author a name of 1 to 80 characters.', 'name');
  const bio = input.bio.trim();
  if (bio.length > 2000) throw invalid('The biography has at most 2000 characters.', 'bio');
  const slug = input.slug?.trim() || toSlug(name);
  if (!isValidSlug(slug)) throw invalid('The slug may only have lower-case letters, digits and single hyphens.', 'slug');
  if (await trx.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirst()) {
    throw conflict(`Another author already uses /author/${slug}.`, 'slug');
  }
  if (input.photoMediaId) {
    const media = await trx.selectFrom('media').select('id').where('id', '=', input.photoMediaId).executeTakeFirst();
    if (!media) throw invalid('That photo is not in the media library.', 'photo');
  }
  const row = await trx
    .insertInto('people')
    .values({ slug, name, bio, photo_media_id: input.photoMediaId ?? null, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'person.changed', row.id, { slug });
  return row.id;
}
