import type { FastifyInstance } from 'fastify';
import { countPublished, listPublished } from '../articles/article.repo.js';
import { tagUrl } from '../articles/article.urls.js';
import { FeedLinks, PageHead } from '../seo/head.views.js';
import { Card, PageLinks, Pagination } from '../web/components.js';
import { sendNotFound } from '../web/not-found.js';
import { PAGE_SIZE, pageContext, pageNumber, sendPage } from '../web/render.js';
import { findTagBySlug } from './tag.service.js';

export async function tagRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string } }>('/tag/:slug', async (request, reply) => {
    const { db } = app.gazette;
    const tag = await findTagBySlug(db, request.params.slug);
    if (!tag) return sendNotFound(request, reply);
    const page = pageNumber(request.query);
    const total = await countPublished(db, { tagId: tag.id });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > pages || total === 0) return sendNotFound(request, reply);
    const [ctx, articles] = await Promise.all([
      pageContext(request),
      listPublished(db, { tagId: tag.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    const base = tagUrl(tag);
    return sendPage(
      reply,
      ctx,
      {
        title: `${tag.name} — ${ctx.settings.siteName}`,
        description: `Articles about ${tag.name}`,
        canonical: `${ctx.origin}${base}${page > 1 ? `?page=${page}` : ''}`,
        head: (
          <>
            <PageLinks base={base} page={page} pages={pages} />
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
        {articles.map((a) => (
          <Card key={a.id} article={a} settings={ctx.settings} image />
        ))}
        <Pagination base={base} page={page} pages={pages} />
      </div>,
    );
  });
}
