import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { csrfToken, verifyCsrf } from '../web/auth.js';
import { renderDocument } from '../web/render.js';
import { SESSION_COOKIE, SESSION_DAYS } from './session.service.js';
import { completeSetup, needsSetup, refusedLink, setupTokenValid } from './setup.service.js';
import { SetupPage, SetupRefusedPage, type SetupValues } from './setup.views.js';

const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? body[name].slice(0, max) : '';

/**
 * The first-admin setup of an empty install: open only while no admin exists, and only with the
 * one-time link the server prints at start. Afterwards it leads to the login page.
 */
export async function setupRoutes(app: FastifyInstance) {
  const html = (reply: FastifyReply, status: number, page: VNode) =>
    reply.code(status).type('text/html; charset=utf-8').send(renderDocument(page));

  const refuse = async (reply: FastifyReply, error: AppError) => {
    const settings = await app.gazette.settings();
    return html(reply, error.status, <SetupRefusedPage siteName={settings.siteName} message={error.message} />);
  };

  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    token: string,
    values: SetupValues,
    error?: AppError,
  ) => {
    const settings = await app.gazette.settings();
    const csrf = await csrfToken(request, reply);
    const page = (
      <SetupPage siteName={settings.siteName} csrf={csrf} token={token} values={values} error={error ? formError(error) : undefined} />
    );
    return html(reply, status, page);
  };

  app.get('/admin/setup', async (request, reply) => {
    reply.header('Cache-Control', 'private, no-store').header('Referrer-Policy', 'no-referrer');
    const { db } = app.gazette;
    if (!(await needsSetup(db))) return reply.redirect('/admin/login', 303);
    const token = field(request.query as Record<string, unknown>, 'token', 200);
    if (!(await setupTokenValid(db, token))) return refuse(reply, refusedLink());
    const settings = await app.gazette.settings();
    return form(request, reply, 200, token, { siteName: settings.siteName, name: '', email: '' });
  });

  app.post('/admin/setup', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    reply.header('Cache-Control', 'private, no-store').header('Referrer-Policy', 'no-referrer');
    const { db } = app.gazette;
    if (!(await needsSetup(db))) return reply.redirect('/admin/login', 303);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = field(body, 'token', 200);
    const values: SetupValues = {
      siteName: field(body, 'siteName', 200),
      name: field(body, 'name', 200),
      email: field(body, 'email', 254),
    };
    if (!(await setupTokenValid(db, token))) return refuse(reply, refusedLink());
    try {
      await verifyCsrf(request);
    } catch (error) {
      return form(request, reply, 403, token, values, error as AppError);
    }
    let result: Awaited<ReturnType<typeof completeSetup>>;
    try {
      result = await completeSetup(db, {
        ...values,
        token,
        password: field(body, 'password', 1000),
        confirm: field(body, 'confirm', 1000),
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'setup_link') return refuse(reply, error);
      // Every refusal about a field (a taken email included) is bad input on this form.
      return form(request, reply, 422, token, values, error);
    }
    app.gazette.invalidateSettings();
    reply.setCookie(SESSION_COOKIE, result.session, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: SESSION_DAYS * 86400,
    });
    request.log.info({ userId: result.user.id }, 'first admin created');
    return reply.redirect('/admin', 303);
  });
}
