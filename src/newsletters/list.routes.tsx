import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { loadMailSettings } from '../mail/mail.settings.js';
import { redactSmtpUrl } from '../mail/mail.url.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { listSections } from '../sections/section.service.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formFields, idParam, query } from '../web/request.parse.js';
import { confirmedCounts, createList, findListById, type ListInput, listLists, updateList } from './list.service.js';
import { ListEditPage, ListsPage, listInputOf, type MailState } from './list.views.js';

/** The list form as posted; the service checks the values. */
export const ListFormSchema = Type.Object({
  slug: Type.String({ maxLength: 60 }),
  name: Type.String({ maxLength: 200 }),
  description: Type.String({ maxLength: 600 }),
  section_id: Type.String({ maxLength: 12 }),
  kind: Type.String({ maxLength: 20 }),
  auto_mode: Type.String({ maxLength: 20 }),
  digest_time: Type.String({ maxLength: 10 }),
});

const DONE: Record<string, string> = { added: 'List added.', saved: 'List saved.' };

/** A refusal the form can show (a 4xx other than a role or CSRF refusal); anything else goes on up. */
const shown = (error: unknown): error is AppError =>
  error instanceof AppError && error.status < 500 && error.status !== 403 && error.status !== 404;

/** /admin/newsletters: editors and administrators manage the lists. */
export async function listRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;
  const desk = requireRole('editor', 'admin');

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return { actor, siteName: settings.siteName, csrf, flash: done ? DONE[done] : undefined };
  }

  async function mailState(): Promise<MailState> {
    const mail = await loadMailSettings(db, config);
    return { configured: Boolean(mail.smtpUrl), source: mail.source, server: redactSmtpUrl(mail.smtpUrl), from: mail.from ?? '' };
  }

  const showLists = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: AppError; typed?: ListInput } = {}) => {
    const [c, lists, counts, sections, mail] = await Promise.all([
      common(request, reply),
      listLists(db),
      confirmedCounts(db),
      listSections(db),
      mailState(),
    ]);
    return sendHtml(
      reply,
      <ListsPage
        {...c}
        lists={lists}
        counts={counts}
        sections={sections}
        mail={mail}
        typed={extra.typed}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status,
    );
  };

  const showEdit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: { error?: AppError; typed?: ListInput } = {},
  ) => {
    const list = await findListById(db, id);
    if (!list) throw new AppError('not_found', 'That list no longer exists.');
    const [c, sections, counts] = await Promise.all([common(request, reply), listSections(db), confirmedCounts(db)]);
    return sendHtml(
      reply,
      <ListEditPage
        {...c}
        list={list}
        values={extra.typed ?? listInputOf(list)}
        sections={sections}
        count={counts.get(list.id) ?? 0}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status,
    );
  };

  app.get('/admin/newsletters', { preHandler: desk }, (request, reply) => showLists(request, reply));

  app.post('/admin/newsletters/lists', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const typed = formFields(ListFormSchema, request.body);
    try {
      await db.transaction().execute((trx) => createList(trx, { ...typed, actor }));
    } catch (error) {
      if (shown(error)) return showLists(request, reply, { error, typed });
      throw error;
    }
    return reply.redirect('/admin/newsletters?done=added', 303);
  });

  app.get<{ Params: { id: string } }>('/admin/newsletters/lists/:id', { preHandler: desk }, (request, reply) =>
    showEdit(request, reply, idParam(request.params.id)),
  );

  app.post<{ Params: { id: string } }>('/admin/newsletters/lists/:id', { preHandler: desk }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    const typed = formFields(ListFormSchema, request.body);
    try {
      await db.transaction().execute((trx) => updateList(trx, { ...typed, id, actor }));
    } catch (error) {
      if (shown(error)) return showEdit(request, reply, id, { error, typed });
      throw error;
    }
    return reply.redirect(`/admin/newsletters/lists/${id}?done=saved`, 303);
  });
}
