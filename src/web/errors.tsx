import type { FastifyError, FastifyInstance } from 'fastify';
import { isPersonal } from '../cache/cache.http.js';
import { AppError, type ErrorCode } from '../errors.js';
import { sendNotFound } from './not-found.js';
import { pageContext, sendPage } from './render.js';

const isApi = (url: string) => url.startsWith('/api/');
const SAFE = new Set(['GET', 'HEAD']);

/**
 * What a cache in front may do with an error: a missing page may be remembered briefly (a burst
 * of requests for it then costs one render, and a page published there shows within seconds),
 * unless the request was a write or personal (staff, API token); any other error answers one request only
 * (a failure, or a form's message) and is never kept. A route's own choice stands, except on a 5xx.
 */
export function errorCacheControl(status: number, shareable: boolean, declared: unknown): string | undefined {
  if (status >= 500) return 'no-store';
  if (declared) return undefined;
  return status === 404 && shareable ? 'public, max-age=10' : 'no-store';
}

/** Maps every error to a clear answer: JSON for the API, a page for browsers; never a stack trace. */
export function installErrorHandlers(app: FastifyInstance) {
  // Every error answer, whichever way it was made (not-found handler, a route's own 404, thrown errors).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode >= 400) {
      const value = errorCacheControl(
        reply.statusCode,
        SAFE.has(request.method) && !isPersonal(request.raw),
        reply.getHeader('cache-control'),
      );
      if (value) reply.header('Cache-Control', value);
    }
    done(null, payload);
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (isApi(request.url)) {
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such endpoint' } });
    }
    return sendNotFound(request, reply);
  });

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    let status = 500;
    let code: ErrorCode = 'internal';
    let message = 'Something went wrong on our side. Please try again.';
    let field: string | undefined;
    if (error instanceof AppError) {
      ({ status, code, message, field } = error);
    } else if ((error as FastifyError).validation) {
      status = 400;
      code = 'bad_request';
      message = `Invalid request: ${error.message}`;
    } else if (typeof (error as FastifyError).statusCode === 'number' && (error as FastifyError).statusCode! < 500) {
      status = (error as FastifyError).statusCode!;
      code = (error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'too_large' : 'bad_request';
      message = status === 413 ? 'The request body is too large.' : error.message;
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (isApi(request.url) || !request.headers.accept?.includes('text/html')) {
      return reply.code(status).send({ error: { code, message, ...(field ? { field } : {}) } });
    }
    if (status === 404) return sendNotFound(request, reply);
    const ctx = await pageContext(request).catch(() => undefined);
    if (!ctx) return reply.code(status).type('text/plain; charset=utf-8').send(message);
    return sendPage(
      reply,
      ctx,
      { title: `Error — ${ctx.settings.siteName}`, noindex: true },
      <section class="not-found">
        <h1>{status >= 500 ? 'Something went wrong' : 'We could not do that'}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to the front page</a>
        </p>
      </section>,
      status,
    );
  });
}
