import { ensurePerson } from '../authors/person.service.js';
import { invalid } from '../errors.js';
import type { Executor } from '../events.js';
import { ensureSection } from '../sections/section.service.js';
import { ensureTag } from '../tags/tag.service.js';
import { toSlug } from '../text/slug.js';

/** "Ana Ruiz, James Thompson" → ["Ana Ruiz", "James Thompson"], without blanks or repeats. */
export function splitNames(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().replace(/\s+/g, ' ');
    if (!name || seen.has(name.toLowerCase())) continue;
    if (name.length > 80) throw invalid(`"${name.slice(0, 20)}…" is longer than 80 characters.`, 'names');
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

/** People by name, in order; a name nobody has yet becomes a new byline. */
export async function authorIdsFor(trx: Executor, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) ids.push((await ensurePerson(trx, { name })).id);
  return ids;
}

/** Tags by name; new names become new tags. */
export async function tagIdsFor(trx: Executor, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) ids.push((await ensureTag(trx, name)).id);
  return ids;
}

/** A section by name or slug; `create` makes a missing one (editors), else it must exist. */
export async function sectionIdFor(trx: Executor, name: string, create: boolean): Promise<number> {
  const slug = toSlug(name);
  const found = await trx
    .selectFrom('sections')
    .select('id')
    .where((eb) => eb.or([eb('slug', '=', slug), eb('slug', '=', name.trim())]))
    .executeTakeFirst();
  if (found) return found.id;
  if (!create) throw invalid(`There is no section "${name}".`, 'section');
  return (await ensureSection(trx, { name })).id;
}
