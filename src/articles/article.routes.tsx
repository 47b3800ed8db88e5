import type { FastifyInstance } from 'fastify';
import { discussionFor } from '../comments/discussion.js';
import { findPlayableNarration } from '../narration/narration.service.js';
import { ListenPlayer } from '../narration/narration.views.js';
import { sendGone, sendMoved } from '../redirects/redirect.reply.js';
import { ArticleHead } from '../seo/head.views.js';
import { sendNotFound } from '../web/not-found.js';
import { pageContext, sendPage } from '../web/render.js';
import { articleAt } from './article.paths.js';
import { findPublished } from './article.repo.js';
import { relatedArticles } from './article.service.js';
import { articleUrl } from './article.urls.js';
import { ArticlePage } from './article.views.js';
import { listCorrections } from './correction.service.js';
import { Corrections } from './correction.views.js';

export async function articleRoutes(app: FastifyInstance) {
  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', async (request, reply) => {
    const { db } = app.gazette;
    const article = await findPublished(db, request.params.section, request.params.slug);
    if (!article) {
      // Moved (301) before withdrawn (410) before never here (404).
      if (await sendMoved(request, reply)) return reply;
      const stored = await articleAt(db, request.params.section, request.params.slug);
      return stored?.status === 'unpublished' ? sendGone(request, reply) : sendNotFound(request, reply);
    }
    // Everything the page shows beyond the article is independent: one round of queries.
    const settings = await app.gazette.settings();
    const [ctx, related, narration, corrections, discussion] = await Promise.all([
      pageContext(request),
      relatedArticles(db, article),
      findPlayableNarration(db, article.id),
      listCorrections(db, article.id),
      discussionFor(db, article, request.query, settings),
    ]);
    const canonical = `${ctx.origin}${articleUrl(article)}`;
    return sendPage(
      reply,
      ctx,
      {
        title: `${article.headline} — ${ctx.settings.siteName}`,
        description: article.standfirst,
        canonical,
        head: <ArticleHead site={ctx} article={article} canonical={canonical} />,
        currentSection: article.section.slug,
        scripts: narration ? ['article.js', 'player.js'] : ['article.js'],
      },
      <ArticlePage
        article={article}
        settings={ctx.settings}
        canonical={canonical}
        related={related}
        discussion={discussion}
        afterBody={<Corrections corrections={corrections} settings={ctx.settings} />}
        listen={narration ? <ListenPlayer narration={narration} article={article} siteName={ctx.settings.siteName} /> : undefined}
      />,
    );
  });
}
