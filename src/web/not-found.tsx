import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendMoved } from '../redirects/redirect.reply.js';
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
      <form role="search" aria-label="Find the page" action="/search" method="get" class="inline-search">
        <label for="nf-search">Search the site</label>
        <input id="nf-search" type="search" name="q" />
        <button type="submit">Search</button>
      </form>
      <p>
        Or start from the <a href="/">front page</a>, or browse a section:
      </p>
      <ul class="section-links">
        {ctx.sections.map((s) => (
          <li key={s.id}>
            <a href={`/${s.slug}`}>{s.name}</a>
          </li>
        ))}
      </ul>
    </section>,
    404,
  );
}
