import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import { toSlug } from '../text/slug.js';
import type { Person } from './person.table.js';

export async function findPersonBySlug(db: Executor, slug: string): Promise<Person | undefined> {
  return db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findPersonById(db: Executor, id: number): Promise<Person | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The byline person with this name ("James Thompson" → james-thompson), created when missing. */
export async function ensurePerson(trx: Executor, input: { name: string; bio?: string }): Promise<Person> {
  const slug = toSlug(input.name);
  const existing = await findPersonBySlug(trx, slug);
  if (existing) {
    if (input.bio && input.bio !== existing.bio) {
      await trx.updateTable('people').set({ bio: input.bio }).where('id', '=', existing.id).execute();
      await recordEvent(trx, 'person.changed', existing.id, { slug });
      return { ...existing, bio: input.bio };
    }
    return existing;
  }
  const row = await trx
    .insertInto('people')
    .values({ slug, name: input.name.trim(), bio: input.bio ?? '', created_at: new Date().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'person.changed', row.id, { slug });
  return row;
}

/** Bylined people by name, a page at a time (`limit` + 1 read to tell whether more follow); `slug` picks one. */
export async function listPeople(
  db: Executor,
  opts: { page: number; limit: number; slug?: string },
): Promise<{ rows: Person[]; more: boolean }> {
  let q = db.selectFrom('people').selectAll();
  if (opts.slug !== undefined) q = q.where('slug', '=', opts.slug);
  const rows = await q
    .orderBy('name')
    .orderBy('id')
    .limit(opts.limit + 1)
    .offset((opts.page - 1) * opts.limit)
    .execute();
  return { rows: rows.slice(0, opts.limit), more: rows.length > opts.limit };
}
