import type { FastifyInstance } from 'fastify';
import { type ArticleCard, listPublishedRows, newestOfSections, toCardLists } from '../articles/article.repo.js';
import { articleUrl, listingUrl, sectionUrl } from '../articles/article.urls.js';
import { listingPage, pageAt } from '../articles/listing.service.js';
import { sendShortLink } from '../import/import.shortlinks.js';
import { FeedLinks, JsonLd, PageHead } from '../seo/head.views.js';
import { website } from '../seo/jsonld.js';
import { AuthorLinks, Card, PageLinks, Pagination, Picture, pageSuffix } from '../web/components.js';
import { formatDate } from '../web/format.js';
import { sendNotFound } from '../web/not-found.js';
import { PAGE_SIZE, pageContext, sendPage } from '../web/render.js';
import { findSectionBySlug } from './section.service.js';

function Lead(props: { article: ArticleCard; settings: Parameters<typeof formatDate>[1] }) {
  const a = props.article;
  return (
    <article class="lead">
      {a.hero ? (
        <div class="lead-image">
          <Picture media={a.hero} alt="" sizes="(min-width: 900px) 60vw, 100vw" eager />
        </div>
      ) : null}
      <div class="lead-text">
        <a class="kicker" href={sectionUrl(a.section)}>
          {a.section.name}
        </a>
        <h2 class="lead-headline">
          <a href={articleUrl(a)}>{a.headline}</a>
        </h2>
        <p class="standfirst">{a.standfirst}</p>
        <p class="card-meta">
          <AuthorLinks authors={a.authors} /> <time datetime={a.publishedAt}>{formatDate(a.publishedAt, props.settings)}</time>
        </p>
      </div>
    </article>
  );
}

export async function sectionRoutes(app: FastifyInstance) {
  // WordPress short links of an imported site (`/?p=123`, `/?page_id=45`; the page cache lets them through).
  app.get('/index.php', async (request, reply) => ((await sendShortLink(request, reply)) ? reply : reply.redirect('/', 301)));
  app.get('/', async (request, reply) => {
    if (await sendShortLink(request, reply)) return reply;
    const { db } = app.gazette;
    const ctx = await pageContext(request);
    const latestRows = await listPublishedRows(db, { limit: 7 });
    const shown = latestRows.map((a) => a.id);
    const sectionRows = await newestOfSections(
      db,
      ctx.sections.map((s) => s.id),
      { excludeIds: shown, limit: 4 },
    );
    // One round of bylines and images for every card of the page, instead of one per list.
    const [latest, ...sectionCards] = await toCardLists(db, [latestRows, ...sectionRows]);
    const [lead, ...rest] = latest;
    const bySection = ctx.sections.map((section, i) => ({ section, articles: sectionCards[i] }));
    return sendPage(
      reply,
      ctx,
      {
        title: `${ctx.settings.siteName} — ${ctx.settings.siteDescription}`,
        description: ctx.settings.siteDescription,
        canonical: `${ctx.origin}/`,
        head: (
          <>
            <PageHead site={ctx} title={ctx.settings.siteName} description={ctx.settings.siteDescription} url={`${ctx.origin}/`} />
            <JsonLd data={website(ctx)} />
          </>
        ),
      },
      <div class="home">
        <h1 class="visually-hidden">{ctx.settings.siteName}</h1>
        {lead ? (
          <div class="front">
            <Lead article={lead} settings={ctx.settings} />
            <section class="latest" aria-labelledby="latest-title">
              <h2 id="latest-title" class="rail-title">
                Latest
              </h2>
              {rest.map((a) => (
                <Card key={a.id} article={a} settings={ctx.settings} level={3} />
              ))}
            </section>
          </div>
        ) : (
          <p class="empty">Nothing has been published yet.</p>
        )}
        {bySection
          .filter((b) => b.articles.length)
          .map(({ section, articles }) => (
            <section key={section.id} class="home-section" aria-labelledby={`home-${section.slug}`}>
              <h2 id={`home-${section.slug}`} class="section-title">
                <a href={sectionUrl(section)}>{section.name}</a>
              </h2>
              <div class="grid">
                {articles.map((a) => (
                  <Card key={a.id} article={a} settings={ctx.settings} image showSection={false} level={3} />
                ))}
              </div>
            </section>
          ))}
      </div>,
    );
  });

  app.get<{ Params: { section: string } }>('/:section', async (request, reply) => {
    const { db } = app.gazette;
    const section = await findSectionBySlug(db, request.params.section);
    if (!section) return sendNotFound(request, reply);
    const base = sectionUrl(section);
    const at = pageAt(request.query);
    const [ctx, listing] = await Promise.all([
      pageContext(request),
      listingPage(db, { list: { kind: 'section', id: section.id }, at, size: PAGE_SIZE }),
    ]);
    if ('top' in listing) return reply.redirect(base);
    if ('missing' in listing) return sendNotFound(request, reply);
    const { page } = listing;
    return sendPage(
      reply,
      ctx,
      {
        title: `${section.name}${pageSuffix(page, ctx.settings)} — ${ctx.settings.siteName}`,
        description: section.description || `${section.name} news from ${ctx.settings.siteName}`,
        canonical: `${ctx.origin}${listingUrl(base, page.at)}`,
        currentSection: section.slug,
        head: (
          <>
            <PageLinks base={base} listing={page} />
            <FeedLinks base={base} title={section.name} />
            <PageHead
              site={ctx}
              title={section.name}
              description={section.description || `${section.name} news from ${ctx.settings.siteName}`}
              url={`${ctx.origin}${base}`}
            />
          </>
        ),
      },
      <div class="listing">
        <header class="listing-header">
          <h1>{section.name}</h1>
          {section.description ? <p>{section.description}</p> : null}
        </header>
        {page.articles.length ? (
          page.articles.map((a) => <Card key={a.id} article={a} settings={ctx.settings} image showSection={false} />)
        ) : (
          <p class="empty">No articles in {section.name} yet.</p>
        )}
        <Pagination base={base} listing={page} settings={ctx.settings} />
      </div>,
    );
  });
}
