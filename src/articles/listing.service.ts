import { AppError } from '../errors.js';
import type { Executor } from '../events.js';
import { pageNumber } from '../web/render.js';
import { type ArticleCard, cardsInOrder } from './article.repo.js';
import { type Cursor, countListed, type ListRef, seekListed } from './listing.repo.js';

/** Where a listing page starts: a page number counted from the top (1 is the first page), or a cursor. */
export type PageAt = { page: number } | { before: Cursor } | { after: Cursor };

export const FIRST_PAGE: PageAt = { page: 1 };

export interface ListingPage {
  at: PageAt;
  articles: ArticleCard[];
  /** Published articles in the whole list. */
  total: number;
  /** Page number and page count, for pages counted from the top (the first page and `?page=N`). */
  page?: number;
  pages?: number;
  newer?: PageAt;
  older?: PageAt;
}

/** A page to show; or none (past either end: 404); or `top` when the newer page asked for is the first page. */
export type Listing = { page: ListingPage } | { missing: true } | { top: true };

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_(\d{1,10})$/;

function parseCursor(name: string, raw: unknown): Cursor {
  const m = typeof raw === 'string' ? CURSOR.exec(raw) : null;
  const id = m ? Number(m[2]) : 0;
  if (!m || Number.isNaN(Date.parse(m[1])) || id < 1 || id > 2_147_483_647) {
    throw new AppError(
      'bad_request',
      `The "${name}" value of this address is not a place in the list (a publication time and an article id, such as 2026-11-30T09:00:00.000Z_123). Start again from the first page.`,
      name,
    );
  }
  return { publishedAt: m[1], id };
}

/** The page a listing address asks for: `?before=` (older), `?after=` (newer) or `?page=N` (nonsense there means the first page). */
export function pageAt(query: unknown): PageAt {
  const q = (query ?? {}) as Record<string, unknown>;
  if (q.before !== undefined && q.after !== undefined) {
    throw new AppError('bad_request', 'An address can ask for older ("before") or newer ("after") articles, not both.');
  }
  if (q.before !== undefined) return { before: parseCursor('before', q.before) };
  if (q.after !== undefined) return { after: parseCursor('after', q.after) };
  return { page: pageNumber(q) };
}

/**
 * One page of a list, newest first. Pages after the first are read from a cursor, so every page
 * costs the same however deep; `?page=N` addresses still work (counted from the top). The links
 * to the neighbouring pages are cursors too, and the newer link is the first page's address
 * when that is where it leads.
 */
export async function listingPage(db: Executor, input: { list: ListRef; at: PageAt; size: number }): Promise<Listing> {
  const { list, at, size } = input;
  const total = await countListed(db, list);
  const cards = (places: Cursor[]) =>
    cardsInOrder(
      db,
      places.map((p) => p.id),
    );

  if ('after' in at) {
    const places = await seekListed(db, list, { after: at.after, limit: 2 * size + 1 });
    if (places.length <= size) return { top: true };
    const shown = places.slice(0, size).reverse();
    const [articles, older] = await Promise.all([cards(shown), seekListed(db, list, { before: shown[size - 1], limit: 1 })]);
    return {
      page: {
        at,
        articles,
        total,
        newer: places.length > 2 * size ? { after: shown[0] } : FIRST_PAGE,
        older: older.length ? { before: shown[size - 1] } : undefined,
      },
    };
  }

  if ('before' in at) {
    const places = await seekListed(db, list, { before: at.before, limit: size + 1 });
    if (places.length === 0) return { missing: true };
    const shown = places.slice(0, size);
    const [articles, newer] = await Promise.all([cards(shown), seekListed(db, list, { after: shown[0], limit: size + 1 })]);
    return {
      page: {
        at,
        articles,
        total,
        newer: newer.length === 0 ? undefined : newer.length <= size ? FIRST_PAGE : { after: shown[0] },
        older: places.length > size ? { before: shown[size - 1] } : undefined,
      },
    };
  }

  const pages = Math.max(1, Math.ceil(total / size));
  if (at.page > pages) return { missing: true };
  const places = await seekListed(db, list, { offset: (at.page - 1) * size, limit: size + 1 });
  if (places.length === 0 && at.page > 1) return { missing: true };
  const shown = places.slice(0, size);
  return {
    page: {
      at,
      articles: await cards(shown),
      total,
      page: at.page,
      pages,
      newer: at.page === 1 ? undefined : at.page === 2 ? FIRST_PAGE : { after: shown[0] },
      older: places.length > size ? { before: shown[size - 1] } : undefined,
    },
  };
}
