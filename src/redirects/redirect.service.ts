import { articleAtPath, articlePath } from '../articles/article.paths.js';
import type { ArticleStatus } from '../articles/article.table.js';
import { AppError, conflict, invalid, notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { recordEvent } from '../events.js';
import type { Actor } from '../users/user.table.js';
import { fromPath, pathOf, requestPath, toPath } from './redirect.path.js';
import {
  deleteRedirectById,
  deleteRedirectFrom,
  findRedirectById,
  findRedirectFrom,
  insertRedirect,
  redirectsTo,
  setRedirectTarget,
} from './redirect.repo.js';
import type { Redirect } from './redirect.table.js';

export interface RedirectInput {
  /** The old path (typed or imported): validated and normalised here. */
  from: string;
  /** The new path, possibly with a query. */
  to: string;
  /** The article whose move this records. */
  articleId?: number | null;
  /** Who adds it by hand (none for article moves and importers). */
  actor?: Actor | null;
  /** A redirect from `from` already there gets the new target instead of a 409. */
  replace?: boolean;
  now?: Date;
}

const HOPS = 10;

const loop = (from: string, to: string) =>
  new AppError(
    'loop',
    `${to} already leads back to ${from}: this redirect would go round in a loop. Change or delete the other redirect first.`,
    'to',
  );

/**
 * Where a target finally leads: another redirect's target when the target is itself an old path
 * (chains collapse to one hop), unless an article is published there now (it is served, so the
 * old redirect from it no longer counts). A query of the target is kept when the next hop has none.
 */
async function finalTarget(trx: Executor, from: string, to: string): Promise<string> {
  let target = to;
  const seen = new Set<string>();
  for (let hop = 0; hop < HOPS; hop++) {
    const path = pathOf(target);
    if (path === from || seen.has(path)) throw loop(from, to);
    seen.add(path);
    const next = await findRedirectFrom(trx, path);
    if (!next || (await isLive(trx, path))) return target;
    const query = target.slice(path.length);
    target = next.to_path.includes('?') || !query ? next.to_path : `${next.to_path}${query}`;
  }
  throw loop(from, to);
}

async function isLive(trx: Executor, path: string): Promise<boolean> {
  return (await articleAtPath(trx, path))?.status === 'published';
}

/** Redirects that led to `from` now lead where `from` leads: still one hop. */
async function retarget(trx: Executor, from: string, to: string, nowIso: string): Promise<void> {
  for (const row of await redirectsTo(trx, from)) {
    const query = row.to_path.slice(from.length);
    const target = to.includes('?') || !query ? to : `${to}${query}`;
    // The old path that is now the target itself would point at itself: it is simply the page now.
    if (pathOf(target) === row.from_path) await deleteRedirectById(trx, row.id);
    else await setRedirectTarget(trx, row.id, target, nowIso);
  }
}

/**
 * Adds (or with `replace`, changes) the redirect from one path to another, in the caller's
 * transaction: both paths validated and normalised, the target followed to its end, redirects
 * that led to the old path sent on to the new target, loops refused (422), and a
 * `redirect.changed` event recorded. For the newsroom, article moves and importers alike.
 */
export async function addRedirect(trx: Executor, input: RedirectInput): Promise<Redirect> {
  const from = fromPath(input.from);
  const wanted = toPath(input.to);
  const nowIso = (input.now ?? new Date()).toISOString();
  if (pathOf(wanted) === from) throw invalid('A path cannot redirect to itself.', 'to');
  if (await isLive(trx, from)) {
    throw invalid(`An article is published at ${from}: it is served there, so a redirect from it would never be used.`, 'from');
  }
  const to = await finalTarget(trx, from, wanted);
  const existing = await findRedirectFrom(trx, from);
  let id: number;
  if (existing) {
    if (existing.to_path === to) return existing;
    if (!input.replace) throw conflict(`${from} already redirects to ${existing.to_path}: change that redirect instead.`, 'from');
    await setRedirectTarget(trx, existing.id, to, nowIso);
    id = existing.id;
  } else {
    id = await insertRedirect(trx, {
      from,
      to,
      articleId: input.articleId ?? null,
      createdBy: input.actor?.userId ?? null,
      now: nowIso,
    });
  }
  await retarget(trx, from, to, nowIso);
  await recordEvent(trx, 'redirect.changed', id, { from, to, ...(input.actor ? { by: input.actor.name } : {}) });
  return (await findRedirectById(trx, id)) as Redirect;
}

/** Points an existing redirect somewhere else (the same rules as adding one). */
export async function changeRedirect(trx: Executor, input: { id: number; to: string; actor?: Actor | null; now?: Date }) {
  const row = await findRedirectById(trx, input.id);
  if (!row) throw notFound('That redirect no longer exists.');
  return addRedirect(trx, { from: row.from_path, to: input.to, actor: input.actor, replace: true, now: input.now });
}

export async function deleteRedirect(trx: Executor, input: { id: number; actor?: Actor | null }): Promise<void> {
  const row = await findRedirectById(trx, input.id);
  if (!row) throw notFound('That redirect no longer exists.');
  await deleteRedirectById(trx, row.id);
  await recordEvent(trx, 'redirect.changed', row.id, {
    from: row.from_path,
    deleted: true,
    ...(input.actor ? { by: input.actor.name } : {}),
  });
}

const ONE_SEGMENT = /^\/[^/?]+$/;

/**
 * Where a request's URL has moved to, if it has (the stored target, without the request's query).
 * An address under a moved section follows it: with `/old → /new`, `/old/slug` leads to
 * `/new/slug` (where the article route serves it, or redirects it once more if it moved too).
 */
export async function redirectFor(db: Executor, url: string): Promise<string | undefined> {
  const path = requestPath(url);
  if (!path || path === '/') return undefined;
  const exact = await findRedirectFrom(db, path);
  if (exact) return exact.to_path;
  const under = /^(\/[^/]+)(\/[^/]+)$/.exec(path);
  if (!under) return undefined;
  const parent = await findRedirectFrom(db, under[1]);
  return parent && ONE_SEGMENT.test(parent.to_path) ? `${parent.to_path}${under[2]}` : undefined;
}

/**
 * Keeps a listing page's old address working when it moves (a section or a tag given another
 * slug, a tag merged into another), in the write's transaction. The new address is served now,
 * so a redirect from it (left by an earlier move the other way) goes first.
 */
export async function followPage(trx: Executor, input: { from: string; to: string; now?: Date }): Promise<void> {
  if (input.from === input.to) return;
  await deleteRedirectFrom(trx, input.to);
  await addRedirect(trx, { from: input.from, to: input.to, replace: true, now: input.now });
}

/** An article's address and status, before or after a write. */
export interface ArticlePlace {
  sectionId: number;
  slug: string;
  status: ArticleStatus;
}

/** Once public: its address may be linked and indexed. */
const WAS_PUBLIC: ArticleStatus[] = ['published', 'unpublished'];

/**
 * Keeps an article's addresses working across a write, in the write's transaction: when a once
 * public article moves, its old path redirects to the new one (and earlier paths follow, one hop);
 * the path it is published at is no longer redirected anywhere.
 */
export async function followArticle(
  trx: Executor,
  input: { articleId: number; before?: ArticlePlace; after: ArticlePlace; now?: Date },
): Promise<void> {
  const { before, after } = input;
  const moved = before && (before.sectionId !== after.sectionId || before.slug !== after.slug);
  if (!moved && after.status !== 'published') return;
  const to = await articlePath(trx, after.sectionId, after.slug);
  if (!to) return;
  if (after.status === 'published') await deleteRedirectFrom(trx, to);
  if (!moved) return;
  const from = await articlePath(trx, before.sectionId, before.slug);
  if (!from || from === to) return;
  // Coming back to an address it left: the redirect from here to the old one goes, not the move.
  await deleteRedirectFrom(trx, to, from);
  if (WAS_PUBLIC.includes(before.status)) {
    await addRedirect(trx, { from, to, articleId: input.articleId, replace: true, now: input.now });
  } else {
    await retarget(trx, from, to, (input.now ?? new Date()).toISOString());
  }
}
