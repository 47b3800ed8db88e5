import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorUrl, sectionUrl, tagUrl } from '../articles/article.urls.js';
import { findPersonBySlug } from '../authors/person.service.js';
import { cacheKey } from '../cache/keys.js';
import { findSectionBySlug } from '../sections/section.service.js';
import { sendDocument } from '../seo/conditional.http.js';
import { findTagBySlug } from '../tags/tag.service.js';
import { sendNotFound } from '../web/not-found.js';
import { pageContext } from '../web/render.js';
import { buildFeed, FEED_TYPES, type FeedFormat } from './feed.builder.js';
import { feedArticles } from './feed.repo.js';

/** The file name of each feed format, under the site root or a section, author or tag path. */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

/** The paths of a scope's feeds, e.g. feedPaths('/politics').rss → /politics/feed.xml */
export function feedPaths(base: string): Record<FeedFormat, string> {
  const prefix = base === '/' ? '' : base;
  return { rss: `${prefix}/feed.xml`, atom: `${prefix}/atom.xml`, json: `${prefix}/feed.json` };
}

interface Scope {
  title: string;
  description: string;
  pagePath: string;
  filter: { sectionId?: number; personId?: number; tagId?: number };
}

type Resolve = (request: FastifyRequest) => Promise<Scope | undefined>;

/** RSS 2.0, Atom and JSON Feed for the site, each section, each author and each tag. */
export async function feedRoutes(app: FastifyInstance) {
  const { db } = app.gazette;

  const send = async (request: FastifyRequest, reply: FastifyReply, format: FeedFormat, resolve: Resolve) => {
    const scope = await resolve(request);
    if (!scope) return sendNotFound(request, reply);
    const [ctx, articles] = await Promise.all([pageContext(request), feedArticles(db, scope.filter)]);
    const body = buildFeed(
      {
        origin: ctx.origin,
        title: scope.title,
        description: scope.description,
        pagePath: scope.pagePath,
        paths: feedPaths(scope.pagePath),
        language: ctx.settings.locale,
        siteName: ctx.settings.siteName,
        hub: ctx.settings.websubHub,
      },
      articles,
      format,
    );
    const lastModified = articles.reduce<string | undefined>((max, a) => (!max || a.modifiedAt > max ? a.modifiedAt : max), undefined);
    // The article queries note each item's keys and the scope's list key themselves.
    return sendDocument(request, reply, { body, type: FEED_TYPES[format], keys: [cacheKey.feeds], lastModified });
  };

  const site: Resolve = async (request) => {
    const s = await request.server.gazette.settings();
    return { title: s.siteName, description: s.siteDescription, pagePath: '/', filter: {} };
  };
  const section: Resolve = async (request) => {
    const slug = (request.params as { section: string }).section;
    const [s, found] = await Promise.all([request.server.gazette.settings(), findSectionBySlug(db, slug)]);
    if (!found) return undefined;
    return {
      title: `${found.name} — ${s.siteName}`,
      description: found.description || `${found.name} news from ${s.siteName}`,
      pagePath: sectionUrl(found),
      filter: { sectionId: found.id },
    };
  };
  const author: Resolve = async (request) => {
    const slug = (request.params as { slug: string }).slug;
    const [s, person] = await Promise.all([request.server.gazette.settings(), findPersonBySlug(db, slug)]);
    if (!person) return undefined;
    return {
      title: `${person.name} — ${s.siteName}`,
      description: person.bio || `Articles by ${person.name}`,
      pagePath: authorUrl(person),
      filter: { personId: person.id },
    };
  };
  const tag: Resolve = async (request) => {
    const slug = (request.params as { slug: string }).slug;
    const [s, found] = await Promise.all([request.server.gazette.settings(), findTagBySlug(db, slug)]);
    if (!found) return undefined;
    return {
      title: `${found.name} — ${s.siteName}`,
      description: `Articles about ${found.name}`,
      pagePath: tagUrl(found),
      filter: { tagId: found.id },
    };
  };

  for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
    const file = FEED_FILES[format];
    app.get(`/${file}`, (request, reply) => send(request, reply, format, site));
    app.get(`/:section/${file}`, (request, reply) => send(request, reply, format, section));
    app.get(`/author/:slug/${file}`, (request, reply) => send(request, reply, format, author));
    app.get(`/tag/:slug/${file}`, (request, reply) => send(request, reply, format, tag));
  }
}
