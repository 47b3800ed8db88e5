import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { csrfToken, verifyCsrf } from '../web/auth.js';
import { formBody, text } from '../web/request.parse.js';
import { findLiveReset, redeemReset } from './reset.service.js';
import { ResetPage, ResetRefusedPage } from './reset.views.js';

/**
 * The link carries its secret in the address: requests to it are not logged at info level (the
 * request line would hold the secret), and the page sends no Referer anywhere.
 */
const QUIET = { logLevel: 'warn' as const };

function noTrace(reply: FastifyReply) {
  reply.header('Cache-Control', 'private, no-store');
}

/** `/admin/reset/:token`: a one-time password-reset link issued by an administrator or `gazette user reset-password`. */
export async function resetRoutes(app: FastifyInstance) {
  const { db } = app.gazette;

  const refused = async (reply: FastifyReply, error: AppError) => {
    const settings = await app.gazette.settings();
    return sendHtml(reply, <ResetRefusedPage siteName={settings.siteName} message={error.message} />, error.status);
  };

  const form = async (request: FastifyRequest, reply: FastifyReply, token: string, error?: AppError) => {
    let reset: Awaited<ReturnType<typeof findLiveReset>>;
    try {
      reset = await findLiveReset(db, token);
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return refused(reply, e);
      throw e;
    }
    const [settings, csrf] = await Promise.all([app.gazette.settings(), csrfToken(request, reply)]);
    return sendHtml(
      reply,
      <ResetPage siteName={settings.siteName} csrf={csrf} token={token} email={reset.email} error={error && formError(error)} />,
      error?.status,
    );
  };

  app.get<{ Params: { token: string } }>(
    '/admin/reset/:token',
    {
      ...QUIET,
      onSend: async (_request, reply, payload) => {
        reply.header('Referrer-Policy', 'no-referrer');
        return payload;
      },
    },
    async (request, reply) => {
      noTrace(reply);
      return form(request, reply, request.params.token);
    },
  );

  app.post('/admin/reset', { ...QUIET, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    noTrace(reply);
    const b = formBody(request);
    const token = text(b.token, 100);
    try {
      await verifyCsrf(request);
    } catch (error) {
      return form(request, reply, token, error as AppError);
    }
    try {
      await db
        .transaction()
        .execute((trx) => redeemReset(trx, { token, password: text(b.password, 2000), confirm: text(b.confirm, 2000) }));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return error.field ? form(request, reply, token, error) : refused(reply, error);
      throw error;
    }
    return reply.redirect('/admin/login?done=reset', 303);
  });
}
