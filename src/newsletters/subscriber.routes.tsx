import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signStamp, stampAge } from '../comments/comment.token.js';
import { AppError } from '../errors.js';
import { MAX_EMAIL } from '../mail/mail.address.js';
import { pageContext, sendPage } from '../web/render.js';
import { formBody, parseId, parseIds, query, text } from '../web/request.parse.js';
import { findListById, listLists } from './list.repo.js';
import { SIGNUP_HONEYPOT, SIGNUP_STAMP, SUBSCRIBE_PATH } from './subscriber.form.js';
import { preferencesUrl } from './subscriber.links.js';
import { queueSignUpMail } from './subscriber.mail.js';
import { listsOf } from './subscriber.repo.js';
import { confirmSubscriber, expirePending, setPreferences, subscribe, subscriberByToken, unsubscribe } from './subscriber.service.js';
import { CheckInboxPage, ConfirmedPage, NewslettersPage, PreferencesPage, UnsubscribePage } from './subscriber.views.js';

/** Sign-ups one address may send in the window (each may send an email). */
const SIGNUP_LIMIT = { max: 20, timeWindow: '10 minutes' };
/** The body a mail client posts for RFC 8058 one-click unsubscription. */
const ONE_CLICK = 'One-Click';

/** Pages about one reader (token links) and answers to their forms are never shared or stored. */
const personal = (reply: FastifyReply) => reply.header('Cache-Control', 'private, no-store');

/** The reader side of newsletters: sign-up (double opt-in), confirmation, preferences and one-click unsubscribe. */
export async function subscriberRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;

  const show = async (request: FastifyRequest, reply: FastifyReply, title: string, body: preact.VNode, status = 200) => {
    const ctx = await pageContext(request);
    personal(reply);
    return sendPage(reply, ctx, { title: `${title} — ${ctx.settings.siteName}`, noindex: true }, body, status);
  };

  const showSignup = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { email?: string; checked?: string[]; error?: AppError } = {},
  ) => {
    const lists = await listLists(db);
    return show(
      request,
      reply,
      'Newsletters',
      <NewslettersPage
        lists={lists}
        email={extra.email}
        checked={extra.checked}
        error={extra.error ? { message: extra.error.message, field: extra.error.field } : undefined}
        stamp={signStamp(config.secret)}
      />,
      extra.error?.status,
    );
  };

  app.get('/newsletters', (request, reply) => showSignup(request, reply));

  app.post(SUBSCRIBE_PATH, { config: { rateLimit: SIGNUP_LIMIT } }, async (request, reply) => {
    const body = formBody(request);
    const email = text(body.email, MAX_EMAIL + 50);
    const checked = [body.list ?? []]
      .flat()
      .map((v) => text(v, 60))
      .filter(Boolean)
      .slice(0, 60);
    // A bot: the hidden field filled in, or the form sent back faster than a person types. Same answer, nothing done.
    const age = stampAge(config.secret, body[SIGNUP_STAMP]);
    const { commentsMinFillSeconds } = await app.gazette.settings();
    if (text(body[SIGNUP_HONEYPOT]) !== '' || (age !== null && age < commentsMinFillSeconds * 1000)) {
      return reply.redirect('/newsletters/check-inbox', 303);
    }
    const { origin } = await pageContext(request);
    try {
      // The email goes out as a job queued with the change: sent after the commit, retried while the mail server is down.
      await db.transaction().execute(async (trx) => {
        await expirePending(trx);
        const signUp = await subscribe(trx, { email, lists: checked });
        await queueSignUpMail(trx, signUp, origin);
      });
    } catch (error) {
      if (error instanceof AppError && error.status === 422) return showSignup(request, reply, { email, checked, error });
      throw error;
    }
    return reply.redirect('/newsletters/check-inbox', 303);
  });

  app.get('/newsletters/check-inbox', (request, reply) => show(request, reply, 'Check your inbox', <CheckInboxPage />));

  app.get('/newsletters/confirm', async (request, reply) => {
    const token = text(query(request).token, 80);
    const { subscriber } = await db.transaction().execute((trx) => confirmSubscriber(trx, { secret: config.secret, token }));
    const ctx = await pageContext(request);
    return show(
      request,
      reply,
      'Subscription confirmed',
      <ConfirmedPage status={subscriber.status} preferencesUrl={preferencesUrl(ctx.origin, token)} />,
    );
  });

  const showPreferences = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: { saved?: boolean; error?: AppError } = {},
  ) => {
    const subscriber = await subscriberByToken(db, config.secret, token);
    const [lists, taken] = await Promise.all([listLists(db), listsOf(db, subscriber.id)]);
    return show(
      request,
      reply,
      'Your newsletters',
      <PreferencesPage
        token={token}
        email={subscriber.email}
        status={subscriber.status}
        lists={lists}
        taken={new Set(taken.map((l) => l.id))}
        saved={extra.saved}
        error={extra.error?.message}
      />,
      extra.error?.status,
    );
  };

  app.get('/newsletters/preferences', (request, reply) => showPreferences(request, reply, text(query(request).token, 80)));

  app.post('/newsletters/preferences', async (request, reply) => {
    const body = formBody(request);
    const token = text(body.token, 80);
    try {
      await db.transaction().execute(async (trx) => {
        const subscriber = await subscriberByToken(trx, config.secret, token);
        await setPreferences(trx, { subscriber, listIds: parseIds(body.list) });
      });
    } catch (error) {
      if (error instanceof AppError && error.status === 422) return showPreferences(request, reply, token, { error });
      throw error;
    }
    return showPreferences(request, reply, token, { saved: true });
  });

  /** The token and list of an unsubscribe request: the form's fields, else the link's query. */
  const unsubscribeTarget = (request: FastifyRequest) => {
    const body = formBody(request);
    const qs = query(request);
    return {
      token: text(body.token, 80) || text(qs.token, 80),
      listId: parseId(text(body.list, 12) || text(qs.list, 12)),
      oneClick: text(body['List-Unsubscribe'], 20) === ONE_CLICK,
    };
  };

  app.get('/newsletters/unsubscribe', async (request, reply) => {
    const { token, listId } = unsubscribeTarget(request);
    await subscriberByToken(db, config.secret, token);
    const list = listId ? await findListById(db, listId) : undefined;
    const ctx = await pageContext(request);
    return show(
      request,
      reply,
      'Unsubscribe',
      <UnsubscribePage token={token} listId={list?.id} listName={list?.name} preferencesUrl={preferencesUrl(ctx.origin, token)} />,
    );
  });

  app.post('/newsletters/unsubscribe', async (request, reply) => {
    const { token, listId, oneClick } = unsubscribeTarget(request);
    const list = listId ? await findListById(db, listId) : undefined;
    await db.transaction().execute(async (trx) => {
      const subscriber = await subscriberByToken(trx, config.secret, token);
      await unsubscribe(trx, { subscriber, listId: list?.id ?? null });
    });
    personal(reply);
    // RFC 8058: the mail client posts `List-Unsubscribe=One-Click` and needs only the status.
    if (oneClick) return reply.code(200).type('text/plain; charset=utf-8').send('Unsubscribed.\n');
    const ctx = await pageContext(request);
    return show(
      request,
      reply,
      'You are unsubscribed',
      <UnsubscribePage token={token} listName={list?.name} done preferencesUrl={preferencesUrl(ctx.origin, token)} />,
    );
  });
}
