import type { FastifyReply, FastifyRequest } from 'fastify';
import { FindYourWay } from '../web/components.js';
import { pageContext, sendPage } from '../web/render.js';
import { locationFor } from './redirect.path.js';
import { redirectFor } from './redirect.service.js';

const consulted = new WeakSet<FastifyRequest>();
const NEVER = /^\/(admin|api)(\/|\?|$)/;

/**
 * How long browsers and CDNs may keep a 301 or a 410. Neither is kept in the page cache, and
 * no purge reaches a browser: a redirect that changes (or an article that comes back) must not
 * linger, so they get the pages' short max-age and no stale-while-revalidate.
 */
async function shortLife(request: FastifyRequest): Promise<string> {
  const { cacheMaxAge } = await request.server.gazette.settings();
  return `public, max-age=${Math.max(0, Math.floor(cacheMaxAge))}`;
}

/**
 * Answers `301` to where this request's path has moved, when the redirects table says so. Asked
 * once per request, only for reader GET/HEAD requests that found no page. True when it answered.
 */
export async function sendMoved(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (consulted.has(request)) return false;
  consulted.add(request);
  if ((request.method !== 'GET' && request.method !== 'HEAD') || NEVER.test(request.url)) return false;
  const target = await redirectFor(request.server.gazette.db, request.url);
  if (!target) return false;
  reply
    .code(301)
    .header('Location', locationFor(target, request.url))
    .header('Cache-Control', await shortLife(request))
    .type('text/plain; charset=utf-8')
    .send(`Moved permanently to ${target}`);
  return true;
}

/** `410 Gone`: the article that lived here was withdrawn (not a mistyped address). */
export async function sendGone(request: FastifyRequest, reply: FastifyReply) {
  const ctx = await pageContext(request);
  reply.header('Cache-Control', await shortLife(request));
  return sendPage(
    reply,
    ctx,
    { title: `Article withdrawn — ${ctx.settings.siteName}`, noindex: true },
    <section class="not-found gone">
      <h1>This article has been withdrawn</h1>
      <p>It was published here before, and is no longer available.</p>
      <FindYourWay label="Find another article" id="gone-search" sections={ctx.sections} />
    </section>,
    410,
  );
}
