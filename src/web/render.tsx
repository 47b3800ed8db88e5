import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { markCacheable } from '../cache/cache.store.plugin.js';
import { listSections } from '../sections/section.service.js';
import type { Section } from '../sections/section.table.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { Layout, type PageMeta } from './layout.js';

export interface PageContext {
  settings: SiteSettings;
  sections: Section[];
  origin: string;
}

/** Settings, navigation and the public origin: what every reader page needs. */
export async function pageContext(request: FastifyRequest): Promise<PageContext> {
  const g = request.server.gazette;
  const [settings, sections] = await Promise.all([g.settings(), listSections(g.db)]);
  const origin = settings.siteUrl.replace(/\/$/, '') || `${request.protocol}://${request.host}`;
  return { settings, sections, origin };
}

export function renderDocument(vnode: VNode): string {
  return `<!doctype html>${render(vnode)}`;
}

/** Renders a full page in the site layout and sends it. */
export function sendPage(
  reply: FastifyReply,
  ctx: PageContext,
  meta: PageMeta & { currentSection?: string },
  body: VNode,
  status = 200,
): FastifyReply {
  const html = renderDocument(
    <Layout {...meta} settings={ctx.settings} sections={ctx.sections}>
      {body}
    </Layout>,
  );
  // A reader page: shareable and kept in the page cache unless the request or answer is personal.
  markCacheable(reply);
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** `?page=N` as a positive integer (1 when absent or nonsense). */
export function pageNumber(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.max(n, 1);
}

export const PAGE_SIZE = 20;
