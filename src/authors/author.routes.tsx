import type { FastifyInstance } from 'fastify';
import { authorUrl, listingUrl } from '../articles/article.urls.js';
import { listingPage, pageAt } from '../articles/listing.service.js';
import { findMediaByIds } from '../media/media.service.js';
import { FeedLinks, JsonLd, PageHead } from '../seo/head.views.js';
import { person as personLd } from '../seo/jsonld.js';
import { Card, PageLinks, Pagination, Picture, pageSuffix } from '../web/components.js';
import { sendNotFound } from '../web/not-found.js';
import { PAGE_SIZE, pageContext, sendPage } from '../web/render.js';
import { findPersonBySlug } from './person.service.js';

export async function authorRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string } }>('/author/:slug', async (request, reply) => {
    const { db } = app.gazette;
    const person = await findPersonBySlug(db, request.params.slug);
    if (!person) return sendNotFound(request, reply);
    const base = authorUrl(person);
    const at = pageAt(request.query);
    const [ctx, listing, photos] = await Promise.all([
      pageContext(request),
      listingPage(db, { list: { kind: 'author', id: person.id }, at, size: PAGE_SIZE }),
      findMediaByIds(db, person.photo_media_id ? [person.photo_media_id] : []),
    ]);
    if ('top' in listing) return reply.redirect(base);
    if ('missing' in listing) return sendNotFound(request, reply);
    const { page } = listing;
    const total = page.total;
    const photo = person.photo_media_id ? photos.get(person.photo_media_id) : undefined;
    return sendPage(
      reply,
      ctx,
      {
        title: `${person.name}${pageSuffix(page, ctx.settings)} — ${ctx.settings.siteName}`,
        description: person.bio || `Articles by ${person.name}`,
        canonical: `${ctx.origin}${listingUrl(base, page.at)}`,
        head: (
          <>
            <PageLinks base={base} listing={page} />
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
        {page.articles.length ? (
          page.articles.map((a) => <Card key={a.id} article={a} settings={ctx.settings} image />)
        ) : (
          <p class="empty">No published articles yet.</p>
        )}
        <Pagination base={base} listing={page} settings={ctx.settings} />
      </div>,
    );
  });
}
