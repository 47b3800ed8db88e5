import { AppError } from '../errors.js';
import { type Executor, recordEvent } from '../events.js';
import { findSectionById } from '../sections/section.service.js';
import type { Actor } from '../users/user.table.js';
import { findListById, findListBySlug } from './list.repo.js';
import { LIST_AUTO_MODES, LIST_KINDS, type ListAutoMode, type ListKind, type NewsletterList } from './newsletter.table.js';

export { confirmedCounts, findListById, findListBySlug, listLists } from './list.repo.js';

/** A list's form as typed (every field text, so a refused form shows it again). */
export interface ListInput {
  slug: string;
  name: string;
  description: string;
  section_id: string;
  kind: string;
  auto_mode: string;
  digest_time: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

interface CheckedList {
  slug: string;
  name: string;
  description: string;
  section_id: number | null;
  kind: ListKind;
  auto_mode: ListAutoMode;
  digest_time: string;
}

async function check(db: Executor, input: ListInput): Promise<CheckedList> {
  const slug = input.slug.trim().toLowerCase();
  const name = input.name.trim();
  const description = input.description.trim();
  if (!SLUG.test(slug)) throw new AppError('invalid', 'The short name takes lowercase letters, digits and hyphens (at most 50).', 'slug');
  if (!name || name.length > 120) throw new AppError('invalid', 'Give the list a name of at most 120 characters.', 'name');
  if (description.length > 500) throw new AppError('invalid', 'Keep the description under 500 characters.', 'description');
  const kind = input.kind as ListKind;
  if (!LIST_KINDS.includes(kind)) throw new AppError('invalid', 'Choose what the list carries.', 'kind');
  const auto_mode = input.auto_mode as ListAutoMode;
  if (!LIST_AUTO_MODES.includes(auto_mode)) throw new AppError('invalid', 'Choose how issues are sent.', 'auto_mode');
  const digest_time = input.digest_time.trim() || '07:00';
  if (!TIME.test(digest_time)) throw new AppError('invalid', 'Give the digest time as HH:MM (24-hour clock), e.g. 07:30.', 'digest_time');
  let section_id: number | null = null;
  if (input.section_id.trim()) {
    const id = /^[1-9]\d{0,8}$/.test(input.section_id.trim()) ? Number(input.section_id.trim()) : 0;
    if (!id || !(await findSectionById(db, id))) throw new AppError('invalid', 'That section does not exist.', 'section_id');
    section_id = id;
  }
  if (kind === 'section' && section_id === null) throw new AppError('invalid', 'A section list needs its section.', 'section_id');
  return { slug, name, description, section_id, kind, auto_mode, digest_time };
}

/** Adds a list (editors and administrators) with its `newsletter.changed` event. */
export async function createList(trx: Executor, input: ListInput & { actor: Actor }): Promise<NewsletterList> {
  const values = await check(trx, input);
  if (await findListBySlug(trx, values.slug)) throw new AppError('duplicate', 'A list with this short name exists already.', 'slug');
  const now = new Date().toISOString();
  const row = await trx
    .insertInto('newsletter_lists')
    .values({ ...values, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'newsletter.changed', row.id, { list: row.slug, action: 'created', by: input.actor.userId });
  return row;
}

/** Changes a list; the slug of `daily` stays (a contract), other slugs may change. */
export async function updateList(trx: Executor, input: ListInput & { id: number; actor: Actor }): Promise<NewsletterList> {
  const current = await findListById(trx, input.id);
  if (!current) throw new AppError('not_found', 'That list no longer exists.');
  const values = await check(trx, input);
  if (current.slug === 'daily' && values.slug !== 'daily') {
    throw new AppError('invalid', 'The daily briefing keeps its short name “daily”.', 'slug');
  }
  const taken = await findListBySlug(trx, values.slug);
  if (taken && taken.id !== current.id) throw new AppError('duplicate', 'A list with this short name exists already.', 'slug');
  const row = await trx
    .updateTable('newsletter_lists')
    .set({ ...values, updated_at: new Date().toISOString() })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'newsletter.changed', row.id, { list: row.slug, action: 'updated', by: input.actor.userId });
  return row;
}
