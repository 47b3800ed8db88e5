import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertView } from '../articles/article.rules.js';
import { findArticleRow } from '../articles/article.workflow.js';
import { AppError } from '../errors.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text, wantsJson } from '../web/request.parse.js';
import { engineInfo } from './engine.registry.js';
import { NarrationPage, NarrationSettingsPage } from './narration.admin.views.js';
import { narrateAgain, narrationStatus } from './narration.service.js';
import { type NarrationSettingsInput, saveNarrationSettings } from './narration.settings.js';

/** Newsroom: an article's narration status and "narrate again"; the narration settings. */
export async function narrationAdminRoutes(app: FastifyInstance) {
  const { db } = app.gazette;

  app.get('/admin/articles/:id/narration', { preHandler: requireRole('admin', 'editor', 'writer') }, async (request, reply) => {
    const id = idParam((request.params as { id: string }).id);
    const actor = await actorOf(request);
    const article = await findArticleRow(db, id);
    assertView(actor, article);
    const status = await narrationStatus(db, id);
    if (wantsJson(request)) return reply.send({ narration: status });
    const [settings, csrf] = await Promise.all([app.gazette.settings(), csrfToken(request, reply)]);
    const flash = query(request).done === 'queued' ? 'The article will be narrated again in a moment.' : undefined;
    return sendHtml(
      reply,
      <NarrationPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        articleId={id}
        headline={article.headline}
        status={status}
        flash={flash}
      />,
    );
  });

  app.post('/admin/articles/:id/narration', { preHandler: requireRole('admin', 'editor') }, async (request, reply) => {
    const id = idParam((request.params as { id: string }).id);
    const row = await findArticleRow(db, id);
    assertView(await actorOf(request), row);
    if (row.status !== 'published') throw new AppError('conflict', 'Only published articles are narrated.');
    await narrateAgain(db, id);
    if (wantsJson(request)) return reply.code(202).send({ narration: await narrationStatus(db, id) });
    return reply.redirect(`/admin/articles/${id}/narration?done=queued`, 303);
  });

  const showSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: AppError; values?: NarrationSettingsInput; flash?: string } = {},
  ) => {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const values = extra.values ?? {
      enabled: settings.narrationEnabled,
      engine: settings.narrationEngine,
      voice: settings.narrationVoice,
      rate: settings.narrationRate,
    };
    return sendHtml(
      reply,
      <NarrationSettingsPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        values={values}
        engines={engineInfo()}
        flash={extra.flash}
        error={extra.error ? { message: extra.error.message, field: extra.error.field } : undefined}
      />,
      extra.error?.status ?? 200,
    );
  };

  app.get('/admin/narration', { preHandler: requireRole('admin') }, async (request, reply) =>
    showSettings(request, reply, { flash: query(request).done ? 'Narration settings saved.' : undefined }),
  );

  app.post('/admin/narration', { preHandler: requireRole('admin') }, async (request, reply) => {
    const body = formBody(request);
    const [engine = '', voice = ''] = text(body.voice, 200).split('/');
    const values = { enabled: body.enabled === 'on', engine, voice, rate: Number(text(body.rate, 20) || 'NaN') };
    try {
      await db.transaction().execute((trx) => saveNarrationSettings(trx, values));
    } catch (error) {
      if (error instanceof AppError && !wantsJson(request)) return showSettings(request, reply, { error, values });
      throw error;
    }
    app.gazette.invalidateSettings();
    if (wantsJson(request)) return reply.send({ settings: values });
    return reply.redirect('/admin/narration?done=1', 303);
  });
}
