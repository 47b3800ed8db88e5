import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertView } from '../articles/article.rules.js';
import { findArticleRow } from '../articles/article.workflow.js';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, getActor, requireRole, verifyCsrf } from '../web/auth.js';
import { formBody, idParam, parseId, query, text, wantsJson } from '../web/request.parse.js';
import { PREVIEW_MAX, previewAudio } from './lexicon.preview.js';
import { listEntries } from './lexicon.repo.js';
import { exportLexicon, importLexicon, removeEntry, saveEntry } from './lexicon.service.js';
import { EMPTY_ENTRY, type EntryFormValues, LexiconPage } from './lexicon.views.js';
import { SynthClient } from './synth.client.js';

const EDITORS = requireRole('admin', 'editor');
/** The largest lexicon file taken as an upload. */
export const LEXICON_UPLOAD_BYTES = 256 * 1024;
const FLASH: Record<string, string> = {
  saved: 'Pronunciation saved. Articles that use it are narrated again.',
  deleted: 'Pronunciation deleted.',
  imported: 'Lexicon imported.',
};

/** A lexicon file as uploaded: its start (up to the limit), whether it was longer, its name. */
interface UploadedLexicon {
  buffer: Buffer;
  truncated: boolean;
  name: string;
}
const uploads = new WeakMap<FastifyRequest, UploadedLexicon | undefined>();

interface PageExtra {
  error?: AppError;
  /** The name of the file an upload that was refused came in. */
  uploadName?: string;
  values?: EntryFormValues;
  importText?: string;
}

/**
 * The pronunciation lexicon in the newsroom: the site's (`/admin/narration/lexicon`) and each
 * article's overrides (`/admin/articles/{id}/lexicon`), import and export, and the preview that
 * speaks a sentence with the current voice and lexicon.
 */
export async function lexiconRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  await app.register(multipart, { limits: { fileSize: LEXICON_UPLOAD_BYTES, files: 1 }, throwFileSizeLimit: false });
  // Previews have a synthesis host of their own: a preview never waits behind a long narration.
  let synth: SynthClient | undefined;
  app.addHook('onClose', async () => synth?.close());

  /** The article named in the URL (0: the site's lexicon), after checking the actor may see it. */
  const scopeOf = async (request: FastifyRequest) => {
    const raw = (request.params as { id?: string }).id;
    if (raw === undefined) return { articleId: 0, article: undefined };
    const id = idParam(raw);
    const row = await findArticleRow(db, id);
    assertView(await actorOf(request), row);
    return { articleId: id, article: { id, headline: row.headline } };
  };

  const showPage = async (request: FastifyRequest, reply: FastifyReply, extra: PageExtra = {}) => {
    const { articleId, article } = await scopeOf(request);
    const [actor, settings, csrf, entries] = await Promise.all([
      actorOf(request),
      app.gazette.settings(),
      csrfToken(request, reply),
      listEntries(db, articleId),
    ]);
    const done = query(request).done;
    return sendHtml(
      reply,
      <LexiconPage
        siteName={settings.siteName}
        actor={actor}
        csrf={csrf}
        entries={entries}
        article={article}
        values={extra.values ?? EMPTY_ENTRY}
        importText={extra.importText}
        uploadName={extra.uploadName}
        error={extra.error ? formError(extra.error) : undefined}
        flash={done ? FLASH[done] : undefined}
      />,
      extra.error?.status ?? 200,
    );
  };

  const back = (articleId: number, done: string) =>
    `${articleId ? `/admin/articles/${articleId}/lexicon` : '/admin/narration/lexicon'}?done=${done}`;

  /** Runs a change; a refused form is shown again with what was typed. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    done: string,
    work: (articleId: number) => Promise<void>,
    extra: PageExtra,
  ) => {
    const { articleId } = await scopeOf(request);
    try {
      await work(articleId);
    } catch (error) {
      if (error instanceof AppError && !wantsJson(request)) return showPage(request, reply, { ...extra, error });
      throw error;
    }
    if (wantsJson(request)) return reply.send({ ok: true });
    return reply.redirect(back(articleId, done), 303);
  };

  const entryValues = (request: FastifyRequest): EntryFormValues => {
    const body = formBody(request);
    return {
      term: text(body.term, 200),
      respelling: text(body.respelling, 400),
      caseSensitive: body.case_sensitive === 'on',
      wholeWord: body.whole_word === 'on',
    };
  };

  /** The page a lexicon URL belongs to: where a refused upload's login leads back. */
  const pageOf = (url: string) => url.replace(/\/upload(\?.*)?$/, '');

  /**
   * requireRole for the lexicon upload: decides on the role before the body is read, then reads
   * the multipart form (one file, at most LEXICON_UPLOAD_BYTES kept) and checks its CSRF field.
   */
  const editorsUpload = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'private, no-store');
    const actor = await getActor(request);
    if (!actor) {
      if (wantsJson(request)) throw new AppError('unauthorized', 'Log in first.');
      return reply.redirect(`/admin/login?next=${encodeURIComponent(pageOf(request.url))}`, 303);
    }
    if (actor.role !== 'admin' && actor.role !== 'editor') throw new AppError('forbidden', 'Your role does not allow this.');
    if (!request.isMultipart()) throw new AppError('bad_request', 'Send the lexicon as a file in a multipart/form-data form.');
    const fields: Record<string, string> = {};
    let file: UploadedLexicon | undefined;
    try {
      for await (const part of request.parts({ limits: { fileSize: LEXICON_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 2000 } })) {
        if (part.type === 'file') {
          const chunks: Buffer[] = [];
          for await (const chunk of part.file) chunks.push(chunk as Buffer);
          if (!file && part.filename)
            file = { buffer: Buffer.concat(chunks), truncated: part.file.truncated, name: part.filename.slice(0, 200) };
        } else {
          fields[part.fieldname] = String(part.value ?? '');
        }
      }
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (error instanceof AppError || (status && status >= 400 && status < 500)) throw error;
      throw new AppError('bad_request', 'The form arrived incomplete or malformed: please send it again.');
    }
    request.body = fields;
    if (actor.kind === 'session') await verifyCsrf(request);
    uploads.set(request, file);
  };

  /** The uploaded file as text: a .txt or .csv file of UTF-8 text, not over the limit. */
  const uploadedText = (file: UploadedLexicon | undefined): string => {
    if (!file) throw new AppError('invalid', 'Choose a lexicon file (.txt or .csv) to upload.', 'upload');
    if (!/\.(txt|csv)$/i.test(file.name)) throw new AppError('invalid', 'The lexicon file must be a .txt or .csv file.', 'upload');
    if (file.truncated) throw new AppError('too_large', `The file is larger than ${LEXICON_UPLOAD_BYTES / 1024} KB.`, 'upload');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
    } catch {
      throw new AppError('invalid', 'The file is not text we can read: save it as UTF-8 text.', 'upload');
    }
    if (text.includes('\0')) throw new AppError('invalid', 'The file is not text we can read: save it as UTF-8 text.', 'upload');
    return text.replace(/^\uFEFF/, '');
  };

  for (const base of ['/admin/narration/lexicon', '/admin/articles/:id/lexicon']) {
    app.get(base, { preHandler: EDITORS }, (request, reply) => showPage(request, reply));

    app.post(base, { preHandler: EDITORS }, (request, reply) => {
      const values = entryValues(request);
      return change(request, reply, 'saved', (articleId) => db.transaction().execute((trx) => saveEntry(trx, { ...values, articleId })), {
        values,
      });
    });

    app.post(`${base}/:entry/delete`, { preHandler: EDITORS }, (request, reply) => {
      const entry = idParam((request.params as { entry: string }).entry);
      return change(request, reply, 'deleted', (articleId) => db.transaction().execute((trx) => removeEntry(trx, entry, articleId)), {});
    });

    app.post(`${base}/import`, { preHandler: EDITORS }, (request, reply) => {
      const file = text(formBody(request).file, 600_000);
      return change(
        request,
        reply,
        'imported',
        (articleId) => db.transaction().execute((trx) => importLexicon(trx, file, articleId).then(() => {})),
        {
          importText: file,
        },
      );
    });

    app.post(`${base}/upload`, { preHandler: editorsUpload }, (request, reply) => {
      const file = uploads.get(request);
      return change(
        request,
        reply,
        'imported',
        async (articleId) => {
          const content = uploadedText(file);
          try {
            await db.transaction().execute((trx) => importLexicon(trx, content, articleId));
          } catch (error) {
            // The same rule as the paste box, with the message beside the upload field.
            if (error instanceof AppError && error.field === 'file') throw new AppError(error.code, error.message, 'upload', error.status);
            throw error;
          }
        },
        { uploadName: file?.name },
      );
    });

    app.get(`${base}.txt`, { preHandler: EDITORS }, async (request, reply) => {
      const { articleId } = await scopeOf(request);
      const name = articleId ? `lexicon-article-${articleId}.txt` : 'lexicon.txt';
      return reply
        .type('text/plain; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}"`)
        .send(await exportLexicon(db, articleId));
    });
  }

  app.post(
    '/admin/narration/preview',
    { preHandler: requireRole('admin', 'editor', 'writer'), config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = formBody(request);
      const articleId = body.article_id ? parseId(body.article_id) : null;
      if (body.article_id && articleId === null) throw new AppError('invalid', 'The article id is not a number we can use.', 'article_id');
      if (articleId) assertView(await actorOf(request), await findArticleRow(db, articleId));
      // Counted as typed (up to a little more than allowed), so an over-long text is refused, not cut.
      const said = text(body.text, PREVIEW_MAX * 4);
      synth ??= new SynthClient({ timeoutMs: 90_000 });
      const audio = await previewAudio({ db, synth, settings: await app.gazette.settings(), text: said, articleId: articleId ?? 0 }).catch(
        (error: Error) => {
          if (error instanceof AppError) throw error;
          // The engine failed or took too long (a busy machine): a clear "try again", not a 500.
          request.log.warn({ err: error.message }, 'narration preview failed');
          throw new AppError('busy', 'The voice could not make this preview just now: try again in a moment.');
        },
      );
      return reply.type('audio/mpeg').header('Content-Disposition', 'inline; filename="preview.mp3"').send(audio);
    },
  );
}
