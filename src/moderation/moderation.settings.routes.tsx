import type { FastifyInstance } from 'fastify';
import { loadWords } from '../comments/comment.repo.js';
import { AppError } from '../errors.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { renderDocument } from '../web/render.js';
import { asRecord, text } from '../web/request.parse.js';
import { DESK_ROLES } from './moderation.routes.js';
import { type CommentSettingKey, type CommentSettingsForm, NUMBER_FIELDS, saveCommentSettings } from './moderation.settings.js';
import { SettingsPage } from './moderation.settings.views.js';

/** The comment policy page of the desk: word lists and the numbers the pipeline uses. */
export async function moderationSettingsRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const guard = { preHandler: requireRole(...DESK_ROLES) };

  const current = async (): Promise<CommentSettingsForm> => {
    const [words, settings] = await Promise.all([loadWords(db), app.gazette.settings()]);
    const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, String(settings[f.key])])) as Record<CommentSettingKey, string>;
    return { banned: words.banned.join('\n'), suspect: words.suspect.join('\n'), numbers };
  };

  app.get('/admin/comments/settings', guard, async (request, reply) => {
    const settings = await app.gazette.settings();
    const saved = asRecord(request.query).saved === '1';
    const html = renderDocument(
      <SettingsPage
        siteName={settings.siteName}
        actor={await actorOf(request)}
        csrf={await csrfToken(request, reply)}
        form={await current()}
        saved={saved}
      />,
    );
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post('/admin/comments/settings', guard, async (request, reply) => {
    const body = asRecord(request.body);
    const form: CommentSettingsForm = {
      banned: text(body.banned, 200_000),
      suspect: text(body.suspect, 200_000),
      numbers: Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, text(body[f.key], 200_000)])) as Record<CommentSettingKey, string>,
    };
    const actor = await actorOf(request);
    try {
      await saveCommentSettings(db, form, actor);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const settings = await app.gazette.settings();
      const html = renderDocument(
        <SettingsPage
          siteName={settings.siteName}
          actor={actor}
          csrf={await csrfToken(request, reply)}
          form={form}
          error={{ field: error.field, message: error.message }}
        />,
      );
      return reply.code(error.status).type('text/html; charset=utf-8').send(html);
    }
    app.gazette.invalidateSettings();
    return reply.redirect('/admin/comments/settings?saved=1', 303);
  });
}
