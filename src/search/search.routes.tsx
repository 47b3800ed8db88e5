import type { FastifyInstance } from 'fastify';
import { render } from 'preact-render-to-string';
import { articleUrl, authorUrl } from '../articles/article.urls.js';
import { AppError } from '../errors.js';
import { pageContext, sendPage } from '../web/render.js';
import { readSearchRequest } from './search.params.js';
import { type SearchResult, search } from './search.service.js';
import { Highlight, SearchPage } from './search.views.js';

const plain = (parts: SearchResult['snippet']) => parts.map((p) => p.text).join('');
const html = (parts: SearchResult['snippet']) => render(<Highlight parts={parts} />);

/** The search page (/search?q=) and the same results as JSON (/api/v1/search?q=). */
export async function searchRoutes(app: FastifyInstance) {
  app.get('/search', async (request, reply) => {
    const { request: r, problems } = readSearchRequest(request.query);
    const ctx = await pageContext(request);
    const outcome = await search(app.gazette.db, r, { timeZone: ctx.settings.timeZone });
    const shown = r.q.trim();
    return sendPage(
      reply.header('Cache-Control', 'no-cache'),
      ctx,
      {
        title: `${shown ? `Search: ${shown.slice(0, 80)}` : 'Search'} — ${ctx.settings.siteName}`,
        description: `Search every article of ${ctx.settings.siteName}.`,
        noindex: true,
      },
      <SearchPage request={r} outcome={outcome} problems={problems} sections={ctx.sections} settings={ctx.settings} />,
    );
  });

  app.get('/api/v1/search', async (request, reply) => {
    const { request: r, problems } = readSearchRequest(request.query);
    if (problems.length) throw new AppError('bad_request', problems[0]);
    const ctx = await pageContext(request);
    const o = await search(app.gazette.db, r, { timeZone: ctx.settings.timeZone });
    return reply.header('Cache-Control', 'no-cache').send({
      query: r.q,
      section: o.section?.slug ?? null,
      from: r.from || null,
      to: r.to || null,
      total: o.total,
      // More matched than are ranked: `total` is a lower bound and results are newest first.
      order: o.broad ? 'newest' : 'relevance',
      totalIsLowerBound: o.broad,
      page: o.page,
      pages: o.pages,
      pageSize: o.pageSize,
      results: o.results.map((res) => ({
        id: res.article.id,
        url: `${ctx.origin}${articleUrl(res.article)}`,
        headline: res.article.headline,
        headlineHtml: html(res.headline),
        standfirst: res.article.standfirst,
        snippet: plain(res.snippet),
        snippetHtml: html(res.snippet),
        section: { slug: res.article.section.slug, name: res.article.section.name },
        authors: res.article.authors.map((a) => ({ name: a.name, url: `${ctx.origin}${authorUrl(a)}` })),
        publishedAt: res.article.publishedAt,
        updatedAt: res.article.updatedAt,
      })),
    });
  });
}
