import type { FastifyInstance } from 'fastify';
import { countPublished, listPublished } from '../articles/article.repo.js';
import { authorUrl } from '../articles/article.urls.js';
import { findMediaByIds } from '../media/media.service.js';
import { FeedLinks, JsonLd, PageHead } from '../seo/head.views.js';
import { person as personLd } from '../seo/jsonld.js';
import { Card, PageLinks, Pagination, Picture } from '../web/components.js';
import { sendNotFound } from '../web/not-found.js';
import { PAGE_SIZE, pageContext, pageNumber, sendPage } from '../web/render.js';
import { findPersonBySlug } from './person.service.js';

export async function authorRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string } }>('/author/:slug', async (request, reply) => {
    const { db } = app.gazette;
    const person = await findPersonBySlug(db, request.params.slug);
    if (!person) return sendNotFound(request, reply);
    const page = pageNumber(request.query);
    const total = await countPublished(db, { personId: person.id });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > pages) return sendNotFound(request, reply);
    const [ctx, articles, photos] = await Promise.all([
      pageContext(request),
      listPublished(db, { personId: person.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      findMediaByIds(db, person.photo_media_id ? [person.photo_media_id] : []),
    ]);
    const photo = person.photo_media_id ? photos.get(person.photo_media_id) : undefined;
    const base = authorUrl(person);
    return sendPage(
      reply,
      ctx,
      {
        title: `${person.name} — ${ctx.settings.siteName}`,
        description: person.bio || `Articles by ${person.name}`,
        canonical: `${ctx.origin}${base}${page > 1 ? `?page=${page}` : ''}`,
        head: (
          <>
            <PageLinks base={base} page={page} pages={pages} />
            <FeedLinks base={base} title={person.name} />
            <PageHead
              site={ctx}
              type="profile"
              title={person.name}
              description={person.bio || `Articles by ${person.name}`}
              url={`${ctx.origin}${base}`}
            />
            <JsonLd data={personLd(ctx, person)} />
          </>
        ),
      },
      <div class="listing author-page">
        <header class="listing-header">
          {photo ? <Picture media={photo} alt={person.name} sizes="120px" class="author-photo" /> : null}
          <h1>{person.name}</h1>
          {person.bio ? <p class="bio">{person.bio}</p> : null}
          <p class="count">
            {total} {total === 1 ? 'article' : 'articles'}
          </p>
        </header>
        {articles.length ? (
          articles.map((a) => <Card key={a.id} article={a} settings={ctx.settings} image />)
        ) : (
          <p class="empty">No published articles yet.</p>
        )}
        <Pagination base={base} page={page} pages={pages} />
      </div>,
    );
  });
}
