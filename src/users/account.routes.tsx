import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, query, text } from '../web/request.parse.js';
import { accountOf, changePassword, endEverySession, updateProfile } from './account.service.js';
import { AccountPage, type ProfileForm } from './account.views.js';
import { SESSION_COOKIE } from './session.service.js';

const DONE: Record<string, string> = {
  profile: 'Your details were saved.',
  unchanged: 'Nothing to change.',
  password: 'Password changed. Your other sessions have ended; you stay logged in here.',
};

// Each of these checks a password: as slow to guess through as the login form.
const GUARDED = { rateLimit: { max: 10, timeWindow: '1 minute' } };

/** `/admin/account`: every staff member's own name, email, password and sessions. */
export async function accountRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const staff = requireRole('admin', 'editor', 'writer', 'moderator');

  const show = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: AppError; typed?: ProfileForm } = {}) => {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const user = await accountOf(db, actor);
    const done = query(request).done;
    return sendHtml(
      reply,
      <AccountPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        values={extra.typed ?? { name: user.name, email: user.email }}
        error={extra.error && formError(extra.error)}
        flash={done ? DONE[done] : undefined}
      />,
      extra.error?.status,
    );
  };

  app.get('/admin/account', { preHandler: staff }, (request, reply) => show(request, reply));

  app.post('/admin/account', { preHandler: staff, config: GUARDED }, async (request, reply) => {
    const actor = await actorOf(request);
    const b = formBody(request);
    const typed = { name: text(b.name, 200), email: text(b.email, 300) };
    try {
      const { changed } = await db
        .transaction()
        .execute((trx) => updateProfile(trx, { actor, ...typed, currentPassword: text(b.current_password, 1000) }));
      return reply.redirect(`/admin/account?done=${changed.length ? 'profile' : 'unchanged'}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status < 500 && error.code !== 'no_account') return show(request, reply, { error, typed });
      throw error;
    }
  });

  app.post('/admin/account/password', { preHandler: staff, config: GUARDED }, async (request, reply) => {
    const actor = await actorOf(request);
    const b = formBody(request);
    try {
      await db.transaction().execute((trx) =>
        changePassword(trx, {
          actor,
          currentPassword: text(b.current_password, 1000),
          password: text(b.password, 2000),
          confirm: text(b.confirm, 2000),
        }),
      );
      return reply.redirect('/admin/account?done=password', 303);
    } catch (error) {
      if (error instanceof AppError && error.status < 500 && error.code !== 'no_account') return show(request, reply, { error });
      throw error;
    }
  });

  app.post('/admin/account/logout-all', { preHandler: staff }, async (request, reply) => {
    const actor = await actorOf(request);
    await db.transaction().execute((trx) => endEverySession(trx, actor));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/admin/login?done=everywhere', 303);
  });
}
