import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { actorOf, csrfToken, requireRole, verifyCsrf } from '../web/auth.js';
import { renderDocument } from '../web/render.js';
import { webhookNotices } from '../webhooks/webhook.notices.js';
import { accountRoutes } from './account.routes.js';
import { resetRoutes } from './reset.routes.js';
import { createSession, endSession, SESSION_COOKIE, SESSION_DAYS } from './session.service.js';
import { authenticate } from './user.service.js';
import { DashboardPage, LoginPage } from './user.views.js';

/** Messages the login page shows after the sessions of an account were ended on purpose. */
const LOGIN_NOTICES: Record<string, string> = {
  reset: 'Your password was changed and every session of your account ended. Log in with the new password.',
  everywhere: 'You were logged out everywhere.',
};

/** Only newsroom paths on this site are valid places to go back to after logging in. */
function safeNext(value: unknown): string {
  const next = typeof value === 'string' ? value : '';
  return /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin';
}

export async function userRoutes(app: FastifyInstance) {
  await app.register(accountRoutes);
  await app.register(resetRoutes);
  app.get('/admin/login', async (request, reply) => {
    const settings = await app.gazette.settings();
    const csrf = await csrfToken(request, reply);
    const q = request.query as Record<string, unknown>;
    const next = safeNext(q.next);
    const notice = typeof q.done === 'string' ? LOGIN_NOTICES[q.done] : undefined;
    reply.header('Cache-Control', 'private, no-store');
    return reply
      .type('text/html; charset=utf-8')
      .send(renderDocument(<LoginPage siteName={settings.siteName} csrf={csrf} next={next} notice={notice} />));
  });

  app.post('/admin/login', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1000) : '';
    const next = safeNext(body.next);
    const settings = await app.gazette.settings();
    reply.header('Cache-Control', 'private, no-store');
    const fail = async (status: number, error: string) => {
      const csrf = await csrfToken(request, reply);
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(renderDocument(<LoginPage siteName={settings.siteName} csrf={csrf} next={next} email={email} error={error} />));
    };
    try {
      await verifyCsrf(request);
    } catch (error) {
      return fail(403, (error as AppError).message);
    }
    let user: Awaited<ReturnType<typeof authenticate>>;
    try {
      user = await authenticate(app.gazette.db, email, password);
    } catch (error) {
      if (error instanceof AppError) return fail(error.status, error.message);
      throw error;
    }
    const old = request.cookies[SESSION_COOKIE];
    if (old) await endSession(app.gazette.db, old);
    const session = await createSession(app.gazette.db, user);
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: SESSION_DAYS * 86400,
    });
    request.log.info({ userId: user.id }, 'staff login');
    return reply.redirect(next, 303);
  });

  app.post('/admin/logout', { preHandler: requireRole('admin', 'editor', 'writer', 'moderator') }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(app.gazette.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/admin/login', 303);
  });

  app.get('/admin', { preHandler: requireRole('admin', 'editor', 'writer', 'moderator') }, async (request, reply) => {
    const actor = await actorOf(request);
    const settings = await app.gazette.settings();
    const csrf = await csrfToken(request, reply);
    const notices = actor.role === 'admin' ? await webhookNotices(app.gazette.db) : [];
    return reply
      .type('text/html; charset=utf-8')
      .send(renderDocument(<DashboardPage siteName={settings.siteName} actor={actor} csrf={csrf} notices={notices} />));
  });
}
