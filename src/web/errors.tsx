import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { sendNotFound } from './not-found.js';
import { pageContext, sendPage } from './render.js';

const isApi = (url: string) => url.startsWith('/api/');

/** Maps every error to a clear answer: JSON for the API, a page for browsers; never a stack trace. */
export function installErrorHandlers(app: FastifyInstance) {
  app.setNotFoundHandler(async (request, reply) => {
    if (isApi(request.url)) {
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such endpoint' } });
    }
    return sendNotFound(request, reply);
  });

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    let status = 500;
    let code = 'internal';
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
