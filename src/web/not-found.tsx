import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendMoved } from '../redirects/redirect.reply.js';
import { FindYourWay } from './components.js';
import { pageContext, sendPage } from './render.js';

/** The helpful 404 page: what happened and where to go from here (or a 301 when the path has moved). */
export async function sendNotFound(request: FastifyRequest, reply: FastifyReply) {
  if (await sendMoved(request, reply)) return reply;
  const ctx = await pageContext(request);
  return sendPage(
    reply,
    ctx,
    { title: `Page not found — ${ctx.settings.siteName}`, noindex: true },
    <section class="not-found">
      <h1>We can’t find that page</h1>
      <p>The link may be mistyped, or the article may have moved or been withdrawn.</p>
      <FindYourWay label="Find the page" id="nf-search" sections={ctx.sections} />
    </section>,
    404,
  );
}
