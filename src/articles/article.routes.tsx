import type { FastifyInstance } from 'fastify';
import { Discussion } from '../comments/discussion.views.js';
import { sendNotFound } from '../web/not-found.js';
import { pageContext, sendPage } from '../web/render.js';
import { findPublished } from './article.repo.js';
import { relatedArticles } from './article.service.js';
import { articleUrl } from './article.urls.js';
import { ArticlePage } from './article.views.js';

export async function articleRoutes(app: FastifyInstance) {
  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', async (request, reply) => {
    const { db } = app.gazette;
    const article = await findPublished(db, request.params.section, request.params.slug);
    if (!article) return sendNotFound(request, reply);
    const [ctx, related] = await Promise.all([pageContext(request), relatedArticles(db, article)]);
    const canonical = `${ctx.origin}${articleUrl(article)}`;
    return sendPage(
      reply,
      ctx,
      {
        title: `${article.headline} — ${ctx.settings.siteName}`,
        description: article.standfirst,
        canonical,
        currentSection: article.section.slug,
        scripts: ['article.js'],
      },
      <ArticlePage
        article={article}
        settings={ctx.settings}
        canonical={canonical}
        related={related}
        discussion={<Discussion article={article} count={0} />}
      />,
    );
  });
}
