import type { FastifyInstance } from 'fastify';
import { articleUrl, authorUrl, sectionUrl, tagUrl } from '../articles/article.urls.js';
import { cacheKey } from '../cache/keys.js';
import { sendNotFound } from '../web/not-found.js';
import { pageContext } from '../web/render.js';
import { sendDocument } from './conditional.http.js';
import { contentModified, isoWithOffset } from './date.format.js';
import { absoluteMediaUrl, bestJpeg } from './image.pick.js';
import { newsLanguage, sitemapIndexXml, type UrlEntry, urlsetXml } from './sitemap.builder.js';
import { articlePages, newsArticles, sitemapArticles, sitemapPlaces } from './sitemap.repo.js';

const XML = 'application/xml; charset=utf-8';
const PLACES = ['sections', 'authors', 'tags'] as const;
/** Article events purge `sitemaps`; section and tag changes purge every cached page. */
const SITEMAPS = [cacheKey.sitemaps];
const newest = (dates: (string | null | undefined)[]) =>
  dates.reduce<string | undefined>((m, d) => (d && (!m || d > m) ? d : m), undefined);

/** The sitemap index, article sitemaps (10,000 URLs each), section/author/tag sitemaps, the news sitemap and robots.txt. */
export async function sitemapRoutes(app: FastifyInstance) {
  const { db } = app.gazette;

  app.get('/robots.txt', async (request, reply) => {
    const { origin } = await pageContext(request);
    const body = [
      'User-agent: *',
      'Disallow: /admin',
      'Disallow: /api',
      'Disallow: /search',
      '',
      `Sitemap: ${origin}/sitemap.xml`,
      `Sitemap: ${origin}/news-sitemap.xml`,
      '',
    ].join('\n');
    return sendDocument(request, reply, { body, type: 'text/plain; charset=utf-8', keys: SITEMAPS, maxAge: 3600 });
  });

  app.get('/sitemap.xml', async (request, reply) => {
    const [ctx, pages, places] = await Promise.all([
      pageContext(request),
      articlePages(db),
      Promise.all(PLACES.map((kind) => sitemapPlaces(db, kind))),
    ]);
    const tz = ctx.settings.timeZone;
    // The sections sitemap always exists (it lists the front page); empty author and tag sitemaps are left out.
    const placeEntries = PLACES.filter((kind, i) => kind === 'sections' || places[i].length).map((kind) => ({
      loc: `${ctx.origin}/sitemaps/${kind}.xml`,
      lastmod: newest(places[PLACES.indexOf(kind)].map((p) => p.lastmod)),
    }));
    const entries = [
      ...pages.map((p) => ({ loc: `${ctx.origin}/sitemaps/articles-${p.page}.xml`, lastmod: p.lastmod ?? undefined })),
      ...placeEntries,
    ].map((e) => ({ loc: e.loc, lastmod: e.lastmod ? isoWithOffset(e.lastmod, tz) : undefined }));
    const lastModified = newest(pages.map((p) => p.lastmod));
    return sendDocument(request, reply, { body: sitemapIndexXml(entries), type: XML, keys: SITEMAPS, lastModified });
  });

  app.get<{ Params: { page: string } }>('/sitemaps/articles-:page.xml', async (request, reply) => {
    const page = /^[1-9]\d{0,5}$/.test(request.params.page) ? Number(request.params.page) : 0;
    const [ctx, articles] = await Promise.all([pageContext(request), page ? sitemapArticles(db, page) : []]);
    if (articles.length === 0) return sendNotFound(request, reply);
    const tz = ctx.settings.timeZone;
    const entries: UrlEntry[] = articles.map((a) => {
      const img = a.heroVariants.length ? bestJpeg({ variants: a.heroVariants }) : undefined;
      return {
        loc: `${ctx.origin}${articleUrl({ slug: a.slug, section: { slug: a.sectionSlug } })}`,
        lastmod: isoWithOffset(contentModified(a), tz),
        images: img ? [absoluteMediaUrl(ctx.origin, img)] : [],
      };
    });
    return sendDocument(request, reply, {
      body: urlsetXml(entries),
      type: XML,
      keys: SITEMAPS,
      lastModified: newest(articles.map((a) => a.modifiedAt)),
    });
  });

  app.get<{ Params: { kind: string } }>('/sitemaps/:kind.xml', async (request, reply) => {
    const kind = PLACES.find((k) => k === request.params.kind);
    if (!kind) return sendNotFound(request, reply);
    const [ctx, places] = await Promise.all([pageContext(request), sitemapPlaces(db, kind)]);
    const path = kind === 'sections' ? sectionUrl : kind === 'authors' ? authorUrl : tagUrl;
    const tz = ctx.settings.timeZone;
    const entries: UrlEntry[] = places.map((p) => ({
      loc: `${ctx.origin}${path(p)}`,
      lastmod: p.lastmod ? isoWithOffset(p.lastmod, tz) : undefined,
    }));
    if (kind === 'sections') entries.unshift({ loc: `${ctx.origin}/`, lastmod: newest(entries.map((e) => e.lastmod)) });
    if (entries.length === 0) return sendNotFound(request, reply);
    return sendDocument(request, reply, {
      body: urlsetXml(entries),
      type: XML,
      keys: SITEMAPS,
      lastModified: newest(places.map((p) => p.lastmod)),
    });
  });

  app.get('/news-sitemap.xml', async (request, reply) => {
    const [ctx, articles] = await Promise.all([pageContext(request), newsArticles(db)]);
    const tz = ctx.settings.timeZone;
    const entries: UrlEntry[] = articles.map((a) => ({
      loc: `${ctx.origin}${articleUrl({ slug: a.slug, section: { slug: a.sectionSlug } })}`,
      news: {
        name: ctx.settings.siteName,
        language: newsLanguage(ctx.settings.locale),
        publicationDate: isoWithOffset(a.publishedAt, tz),
        title: a.headline,
      },
    }));
    // Short max-age: the 48-hour window moves even when nothing is published.
    return sendDocument(request, reply, {
      body: urlsetXml(entries),
      type: XML,
      keys: SITEMAPS,
      lastModified: newest(articles.map((a) => a.modifiedAt)),
      maxAge: 60,
    });
  });
}
