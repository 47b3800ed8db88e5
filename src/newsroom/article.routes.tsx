import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listForNewsroom } from '../articles/article.listing.js';
import { ARTICLE_ROLES, assertView, canEdit } from '../articles/article.rules.js';
import { ARTICLE_STATUSES, type ArticleStatus } from '../articles/article.table.js';
import { findArticleRow, writeArticle } from '../articles/article.workflow.js';
import { AppError } from '../errors.js';
import type { Actor } from '../users/user.table.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, parseId, query, wantsJson } from '../web/request.parse.js';
import { actionFromBody, fieldsFromValues, toZoneInput, valuesFromBody } from './article.form.js';
import { ArticleListPage } from './article-list.views.js';
import { editorData } from './editor.data.js';
import { EditorPage } from './editor.views.js';
import { type FormError, formError } from './form.views.js';
import { sendHtml } from './http.js';

const DONE: Record<string, string> = {
  save: 'Saved.',
  created: 'Draft created.',
  submit: 'Submitted for review: an editor will look at it.',
  return: 'Moved back to draft.',
  schedule: 'Scheduled: it will publish itself at the publication time.',
  publish: 'Published.',
  unpublish: 'Unpublished: readers no longer see it.',
  restored: 'Revision restored (as a new revision).',
  corrected: 'Correction added to the article.',
  hero: 'Hero image chosen.',
};

export async function newsroomArticleRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const staff = requireRole(...ARTICLE_ROLES);

  async function showEditor(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number | null,
    extra: { values?: ReturnType<typeof valuesFromBody>; error?: FormError; status?: number } = {},
  ) {
    const settings = await app.gazette.settings();
    const data = await editorData(db, { actor, id, settings, values: extra.values, error: extra.error });
    const csrf = await csrfToken(request, reply);
    const done = query(request).done;
    return sendHtml(
      reply,
      <EditorPage {...data} siteName={settings.siteName} csrf={csrf} flash={done ? DONE[done] : undefined} />,
      extra.status,
    );
  }

  app.get('/admin/articles', { preHandler: staff }, async (request, reply) => {
    const actor = await actorOf(request);
    const q = query(request);
    const status = (ARTICLE_STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as ArticleStatus) : undefined;
    const page = parseId(q.page) ?? 1;
    const filter = {
      status,
      sectionId: parseId(q.section) ?? undefined,
      personId: parseId(q.author) ?? undefined,
      q: (q.q ?? '').slice(0, 200),
      page,
    };
    const [settings, list, sections, people] = await Promise.all([
      app.gazette.settings(),
      listForNewsroom(db, actor, filter),
      db.selectFrom('sections').select(['id', 'name']).orderBy('position').orderBy('name').execute(),
      db.selectFrom('people').select(['id', 'name']).orderBy('name').limit(2000).execute(),
    ]);
    const csrf = await csrfToken(request, reply);
    return sendHtml(
      reply,
      <ArticleListPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        settings={settings}
        filter={filter}
        list={list}
        sections={sections}
        people={people}
      />,
    );
  });

  app.get('/admin/articles/new', { preHandler: staff }, async (request, reply) => showEditor(request, reply, await actorOf(request), null));

  app.get<{ Params: { id: string } }>('/admin/articles/:id/edit', { preHandler: staff }, async (request, reply) =>
    showEditor(request, reply, await actorOf(request), idParam(request.params.id)),
  );

  /** Create (POST /admin/articles) or save (POST /admin/articles/:id), with an optional workflow action. */
  async function save(request: FastifyRequest, reply: FastifyReply, id: number | null) {
    const actor = await actorOf(request);
    const body = formBody(request);
    const values = valuesFromBody(body);
    const action = actionFromBody(body);
    const autosave = body.autosave === '1';
    const settings = await app.gazette.settings();
    try {
      const result = await db.transaction().execute(async (trx) => {
        const row = id !== null ? await findArticleRow(trx, id) : undefined;
        if (id !== null) assertView(actor, row);
        const editable = !row || canEdit(actor, row);
        const fields = editable || action === 'save' ? await fieldsFromValues(trx, values, settings.timeZone) : undefined;
        // The form shows minutes: an unchanged time keeps the stored one to the millisecond.
        if (fields && row?.published_at && values.published === toZoneInput(row.published_at, settings.timeZone)) {
          fields.publishedAt = row.published_at;
        }
        return writeArticle(trx, {
          actor,
          id: id ?? undefined,
          fields,
          action: action === 'save' ? undefined : action,
          expected: values.version || undefined,
          autosave,
        });
      });
      if (wantsJson(request)) {
        return reply.send({
          id: result.id,
          slug: result.slug,
          status: result.status,
          version: result.modifiedAt,
          editUrl: `/admin/articles/${result.id}/edit`,
        });
      }
      const done = result.created && action === 'save' ? 'created' : action;
      return reply.redirect(`/admin/articles/${result.id}/edit?done=${done}`, 303);
    } catch (error) {
      if (
        !wantsJson(request) &&
        error instanceof AppError &&
        (error.status === 422 || error.status === 409) &&
        error.code !== 'not_found'
      ) {
        return showEditor(request, reply, actor, id, { values, error: formError(error), status: error.status });
      }
      throw error;
    }
  }

  app.post('/admin/articles', { preHandler: staff }, async (request, reply) => save(request, reply, null));
  app.post<{ Params: { id: string } }>('/admin/articles/:id', { preHandler: staff }, async (request, reply) =>
    save(request, reply, idParam(request.params.id)),
  );
}
