import type { FastifyInstance } from 'fastify';
import { listingUrl, tagUrl } from '../articles/article.urls.js';
import { listingPage, pageAt } from '../articles/listing.service.js';
import { FeedLinks, PageHead } from '../seo/head.views.js';
import { Card, PageLinks, Pagination, pageSuffix } from '../web/components.js';
import { sendNotFound } from '../web/not-found.js';
import { PAGE_SIZE, pageContext, sendPage } from '../web/render.js';
import { findTagBySlug } from './tag.service.js';

export async function tagRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string } }>('/tag/:slug', async (request, reply) => {
    const { db } = app.gazette;
    const tag = await findTagBySlug(db, request.params.slug);
    if (!tag) return sendNotFound(request, reply);
    const base = tagUrl(tag);
    const at = pageAt(request.query);
    const [ctx, listing] = await Promise.all([
      pageContext(request),
      listingPage(db, { list: { kind: 'tag', id: tag.id }, at, size: PAGE_SIZE }),
    ]);
    if ('top' in listing) return reply.redirect(base);
    // A tag with no published article has no page.
    if ('missing' in listing || listing.page.total === 0) return sendNotFound(request, reply);
    const { page } = listing;
    return sendPage(
      reply,
      ctx,
      {
        title: `${tag.name}${pageSuffix(page, ctx.settings)} — ${ctx.settings.siteName}`,
        description: `Articles about ${tag.name}`,
        canonical: `${ctx.origin}${listingUrl(base, page.at)}`,
        head: (
          <>
            <PageLinks base={base} listing={page} />
            <FeedLinks base={base} title={tag.name} />
            <PageHead site={ctx} title={tag.name} description={`Articles about ${tag.name}`} url={`${ctx.origin}${base}`} />
          </>
        ),
      },
      <div class="listing">
        <header class="listing-header">
          <p class="kicker">Topic</p>
          <h1>{tag.name}</h1>
        </header>
        {page.articles.map((a) => (
          <Card key={a.id} article={a} settings={ctx.settings} image />
        ))}
        <Pagination base={base} listing={page} settings={ctx.settings} />
      </div>,
    );
  });
}
