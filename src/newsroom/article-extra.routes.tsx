import type { FastifyInstance } from 'fastify';
import { findArticleById } from '../articles/article.repo.js';
import { ARTICLE_ROLES, assertView } from '../articles/article.rules.js';
import { ArticlePage } from '../articles/article.views.js';
import { fieldsOf, findArticleRow, writeArticle } from '../articles/article.workflow.js';
import { addCorrection, listCorrections } from '../articles/correction.service.js';
import { Corrections } from '../articles/correction.views.js';
import { AppError, notFound } from '../errors.js';
import { renderMarkdown } from '../text/markdown.js';
import { countWords, readingMinutes } from '../text/reading.js';
import { actorOf, requireRole } from '../web/auth.js';
import { pageContext, sendPage } from '../web/render.js';
import { formBody, idParam, text } from '../web/request.parse.js';

export async function newsroomArticleExtraRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const staff = requireRole(...ARTICLE_ROLES);

  // The live preview: the same renderer and sanitiser as the reader page, so it shows exactly what readers will see.
  app.post('/admin/articles/preview', { preHandler: staff }, async (request, reply) => {
    const body = text(formBody(request).body, 250_000).replace(/\r\n?/g, '\n');
    const settings = await app.gazette.settings();
    const words = countWords(body);
    return reply.send({ html: renderMarkdown(body), words, minutes: readingMinutes(words, settings.wordsPerMinute) });
  });

  // The article as its reader page will look, whatever its status.
  app.get<{ Params: { id: string } }>('/admin/articles/:id/preview', { preHandler: staff }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    const row = await findArticleRow(db, id);
    const article = await findArticleById(db, id);
    if (!row || !article) throw notFound('No such article.');
    assertView(actor, row);
    const ctx = await pageContext(request);
    reply.header('Cache-Control', 'private, no-store');
    const shown = { ...article, publishedAt: article.publishedAt || new Date().toISOString() };
    const corrections = await listCorrections(db, id);
    return sendPage(
      reply,
      ctx,
      { title: `Preview: ${article.headline || 'Untitled'} — ${ctx.settings.siteName}`, noindex: true, scripts: ['article.js'] },
      <>
        <p class="preview-banner" role="status">
          Preview ({article.status.replace('_', ' ')}) — readers do not see this page.{' '}
          <a href={`/admin/articles/${id}/edit`}>Back to the editor</a>
        </p>
        <ArticlePage
          article={shown}
          settings={ctx.settings}
          canonical=""
          related={[]}
          discussion={null}
          afterBody={<Corrections corrections={corrections} settings={ctx.settings} />}
        />
      </>,
    );
  });

  // Choosing a hero from the media library without scripts.
  app.post<{ Params: { id: string } }>('/admin/articles/:id/hero', { preHandler: staff }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    const mediaId = text(formBody(request).media_id, 12);
    if (!/^\d+$/.test(mediaId)) throw new AppError('invalid', 'Choose an image.', 'hero');
    await db.transaction().execute(async (trx) => {
      const row = await findArticleRow(trx, id);
      assertView(actor, row);
      const fields = { ...(await fieldsOf(trx, row)), heroMediaId: Number(mediaId) };
      await writeArticle(trx, { actor, id, fields, note: 'Hero image chosen' });
    });
    return reply.redirect(`/admin/articles/${id}/edit?done=hero`, 303);
  });

  app.post<{ Params: { id: string } }>(
    '/admin/articles/:id/corrections',
    { preHandler: requireRole('editor', 'admin') },
    async (request, reply) => {
      const actor = await actorOf(request);
      const id = idParam(request.params.id);
      const body = text(formBody(request).correction, 5000);
      await db.transaction().execute(async (trx) => {
        assertView(actor, await findArticleRow(trx, id));
        await addCorrection(trx, { actor, articleId: id, body });
      });
      return reply.redirect(`/admin/articles/${id}/edit?done=corrected`, 303);
    },
  );
}
