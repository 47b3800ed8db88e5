import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { normaliseEmail } from '../mail/mail.address.js';
import { mailerFor } from '../mail/mail.transport.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, formFields, idParam, parseId, parseIds, query } from '../web/request.parse.js';
import { deliveryCounts, deliveryProblems, unsubscribedSince } from './delivery.repo.js';
import { personalise } from './email.issue.js';
import { sendBreaking } from './issue.auto.js';
import { allLists, findIssue, findList, findListBySlug, listIssues, publishedArticles } from './issue.repo.js';
import {
  createIssue,
  deleteIssue,
  issueEmail,
  MAX_INTRO,
  MAX_SUBJECT,
  parseArticleIds,
  queueIssue,
  siteOrigin,
  updateIssue,
} from './issue.service.js';
import { BreakingConfirmPage, DraftIssuePage, type IssueDraft, IssuesPage, NewIssuePage, SentIssuePage } from './issue.views.js';

/** The composer's text fields (the ticked articles are read with parseIds). */
export const IssueFormSchema = Type.Object({
  list: Type.String({ maxLength: 12 }),
  subject: Type.String({ maxLength: MAX_SUBJECT + 50 }),
  intro: Type.String({ maxLength: MAX_INTRO + 100 }),
});
const TestFormSchema = Type.Object({ to: Type.String({ maxLength: 300 }) });

const PAGE_SIZE = 30;
const PICKABLE = 40;

const DONE: Record<string, string> = {
  created: 'Draft saved.',
  saved: 'Draft saved.',
  tested: 'Test email sent.',
  queued: 'Sending: the counts below grow as the messages go out.',
  deleted: 'Draft deleted.',
};

/** A refusal the form can show (a 4xx other than a role or CSRF refusal, or mail not set up); anything else goes on up. */
const shown = (error: unknown): error is AppError =>
  error instanceof AppError && ((error.status < 500 && error.status !== 403) || error.code === 'mail_not_configured');

// The preview is the email itself: its inline styles and the site's images show, nothing runs.
const PREVIEW_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** /admin/newsletters/issues: editors and administrators compose, preview, test and send issues. */
export async function issueRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const desk = requireRole('editor', 'admin');
  // The preview answers with a policy of its own (this plugin's hooks run after the site-wide headers).
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === '/admin/newsletters/issues/:id/preview' && reply.statusCode === 200) {
      reply.header('content-security-policy', PREVIEW_POLICY);
    }
    return payload;
  });

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return { actor, settings, siteName: settings.siteName, csrf, flash: done ? DONE[done] : undefined };
  }

  const originOf = async (request: FastifyRequest) => siteOrigin(await app.gazette.settings(), `${request.protocol}://${request.host}`);

  const readDraft = (request: FastifyRequest): IssueDraft => {
    const body = formBody(request);
    const f = formFields(IssueFormSchema, body);
    return { list: f.list, subject: f.subject, intro: f.intro, articleIds: parseIds(body.articles).slice(0, 100) };
  };

  const pickable = async (selected: number[]) => {
    const recent = await publishedArticles(db, { limit: PICKABLE });
    // Chosen articles stay on the list even when newer ones pushed them off it.
    const missing = selected.filter((id) => !recent.some((a) => a.id === id));
    if (missing.length === 0) return recent;
    const older = await db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.headline', 'sections.name as section', 'articles.section_id', 'articles.published_at'])
      .where('articles.id', 'in', missing)
      .where('articles.status', '=', 'published')
      .execute();
    return [
      ...recent,
      ...older.map((r) => ({
        id: r.id,
        headline: r.headline,
        section: r.section,
        sectionId: r.section_id,
        publishedAt: r.published_at ?? '',
      })),
    ];
  };

  const recipientsOf = async (listId: number) => {
    const row = await db
      .selectFrom('subscriptions')
      .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('subscriptions.list_id', '=', listId)
      .where('subscribers.status', '=', 'confirmed')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  const showNew = async (request: FastifyRequest, reply: FastifyReply, extra: { draft?: IssueDraft; error?: AppError } = {}) => {
    const c = await common(request, reply);
    const lists = await allLists(db);
    const wanted = query(request).list;
    const daily = lists.find((l) => l.slug === wanted) ?? lists.find((l) => l.slug === 'daily') ?? lists[0];
    const draft = extra.draft ?? { list: daily ? String(daily.id) : '', subject: '', intro: '', articleIds: [] };
    return sendHtml(
      reply,
      <NewIssuePage
        {...c}
        draft={draft}
        lists={lists}
        articles={await pickable(draft.articleIds)}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status,
    );
  };

  const showIssue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: { draft?: IssueDraft; error?: AppError; testTo?: string } = {},
  ) => {
    const issue = await findIssue(db, id);
    if (!issue) throw new AppError('not_found', 'That issue no longer exists.');
    const c = await common(request, reply);
    const error = extra.error && formError(extra.error);
    if (issue.status === 'draft') {
      const draft = extra.draft ?? {
        list: String(issue.list_id),
        subject: issue.subject,
        intro: issue.intro,
        articleIds: parseArticleIds(issue.article_ids),
      };
      const [lists, articles, recipients] = await Promise.all([allLists(db), pickable(draft.articleIds), recipientsOf(issue.list_id)]);
      return sendHtml(
        reply,
        <DraftIssuePage
          {...c}
          issue={issue}
          draft={draft}
          lists={lists}
          articles={articles}
          recipients={recipients}
          testTo={extra.testTo ?? ''}
          error={error}
        />,
        extra.error?.status,
      );
    }
    const [list, counts, unsubscribed, problems] = await Promise.all([
      findList(db, issue.list_id),
      deliveryCounts(db, issue.id),
      unsubscribedSince(db, issue.id, issue.list_id),
      deliveryProblems(db, issue.id),
    ]);
    return sendHtml(
      reply,
      <SentIssuePage
        {...c}
        issue={issue}
        listName={list?.name ?? '(deleted list)'}
        counts={counts}
        unsubscribed={unsubscribed}
        problems={problems}
        error={error}
      />,
      extra.error?.status,
    );
  };

  app.get('/admin/newsletters/issues', { preHandler: desk }, async (request, reply) => {
    const c = await common(request, reply);
    const raw = query(request).page ?? '';
    const page = /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
    const rows = await listIssues(db, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE });
    return sendHtml(reply, <IssuesPage {...c} rows={rows.slice(0, PAGE_SIZE)} page={page} more={rows.length > PAGE_SIZE} />);
  });

  app.get('/admin/newsletters/issues/new', { preHandler: desk }, (request, reply) => showNew(request, reply));

  app.post('/admin/newsletters/issues', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const draft = readDraft(request);
    let id: number;
    try {
      id = await db.transaction().execute((trx) => createIssue(trx, { ...draft, listId: parseId(draft.list), actor }));
    } catch (error) {
      if (shown(error)) return showNew(request, reply, { draft, error });
      throw error;
    }
    return reply.redirect(`/admin/newsletters/issues/${id}?done=created`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/newsletters/issues/:id', { preHandler: desk }, (request, reply) =>
    showIssue(request, reply, idParam(request.params.id)),
  );

  app.post<{ Params: { id: string } }>('/admin/newsletters/issues/:id', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    const draft = readDraft(request);
    try {
      await db.transaction().execute((trx) => updateIssue(trx, { ...draft, id, listId: parseId(draft.list), actor }));
    } catch (error) {
      if (shown(error) && error.status !== 404) return showIssue(request, reply, id, { draft, error });
      throw error;
    }
    return reply.redirect(`/admin/newsletters/issues/${id}?done=saved`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/newsletters/issues/:id/preview', { preHandler: desk }, async (request, reply) => {
    const issue = await findIssue(db, idParam(request.params.id));
    const list = issue && (await findList(db, issue.list_id));
    if (!issue || !list) throw new AppError('not_found', 'That issue no longer exists.');
    const origin = await originOf(request);
    const email = await issueEmail(db, issue, list, await app.gazette.settings(), origin);
    const sample = personalise(email, { unsubscribe: `${origin}/newsletters`, preferences: `${origin}/newsletters` });
    const asText = query(request).format === 'text';
    reply.header('Cache-Control', 'private, no-store');
    return reply
      .code(200)
      .type(asText ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8')
      .send(asText ? sample.text : sample.html);
  });

  app.post<{ Params: { id: string } }>('/admin/newsletters/issues/:id/test', { preHandler: desk }, async (request, reply) => {
    const id = idParam(request.params.id);
    const typed = formFields(TestFormSchema, request.body).to;
    try {
      const to = normaliseEmail(typed);
      const issue = await findIssue(db, id);
      const list = issue && (await findList(db, issue.list_id));
      if (!issue || !list) throw new AppError('not_found', 'That issue no longer exists.');
      const origin = await originOf(request);
      const email = personalise(await issueEmail(db, issue, list, await app.gazette.settings(), origin), {
        unsubscribe: `${origin}/newsletters`,
        preferences: `${origin}/newsletters`,
      });
      const mailer = await mailerFor(db, app.gazette.config);
      await mailer.send({ to, subject: `[Test] ${email.subject}`, html: email.html, text: email.text });
    } catch (error) {
      if (shown(error) && error.status !== 404) {
        const e = error.field === 'email' ? new AppError(error.code, error.message, 'to') : error;
        return showIssue(request, reply, id, { error: e, testTo: typed });
      }
      if (error instanceof Error && error.name === 'MailError') {
        return showIssue(request, reply, id, {
          error: new AppError('invalid', `The mail server did not take the test: ${error.message}`, 'to', 502),
          testTo: typed,
        });
      }
      throw error;
    }
    return reply.redirect(`/admin/newsletters/issues/${id}?done=tested`, 303);
  });

  app.post<{ Params: { id: string } }>('/admin/newsletters/issues/:id/send', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    try {
      await db.transaction().execute((trx) => queueIssue(trx, { id, actor }));
    } catch (error) {
      if (shown(error) && error.status !== 404) return showIssue(request, reply, id, { error });
      throw error;
    }
    return reply.redirect(`/admin/newsletters/issues/${id}?done=queued`, 303);
  });

  app.post<{ Params: { id: string } }>('/admin/newsletters/issues/:id/delete', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    await db.transaction().execute((trx) => deleteIssue(trx, { id, actor }));
    return reply.redirect('/admin/newsletters/issues?done=deleted', 303);
  });

  // "Send as breaking news" in the article editor's side panel.
  app.post<{ Params: { id: string } }>('/admin/newsletters/breaking/:id', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const articleId = idParam(request.params.id);
    if (formBody(request).confirm !== 'yes') {
      const [list, article] = await Promise.all([
        findListBySlug(db, 'breaking'),
        db.selectFrom('articles').select(['headline', 'status']).where('id', '=', articleId).executeTakeFirst(),
      ]);
      if (!article) throw new AppError('not_found', 'That article no longer exists.');
      if (!list) throw new AppError('not_found', 'There is no breaking-news list (slug “breaking”): create it under Newsletters first.');
      if (article.status !== 'published') throw new AppError('invalid', 'Only a published article can be sent as breaking news.');
      const c = await common(request, reply);
      return sendHtml(
        reply,
        <BreakingConfirmPage
          {...c}
          articleId={articleId}
          headline={article.headline}
          listName={list.name}
          recipients={await recipientsOf(list.id)}
        />,
      );
    }
    const issueId = await db.transaction().execute((trx) => sendBreaking(trx, { articleId, actor }));
    return reply.redirect(`/admin/newsletters/issues/${issueId}?done=queued`, 303);
  });
}
