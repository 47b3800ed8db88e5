import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { enqueueJob } from '../jobs/job.repo.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, getActor, requireRole, verifyCsrf } from '../web/auth.js';
import { idParam, text, wantsJson } from '../web/request.parse.js';
import { ImportFormatError } from './import.model.js';
import { isImportSource, readExport } from './import.readers.js';
import type { ImportReport } from './import.report.js';
import { createRun, EMPTY_PROGRESS, findRun, IMPORT_JOB, listRuns, setRunState } from './import.runs.js';
import { type ImportProgress, parseSectionMap, runImport } from './import.service.js';
import { ImportPage, RunPage, type TypedImport } from './import.views.js';

/** An export or a zip of uploads can be large; it goes to disk, never into memory. */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

interface Uploaded {
  dir: string;
  fields: Record<string, string>;
  exportFile?: { path: string; name: string };
  mediaFile?: { path: string; name: string };
}

/** Streams the form's two files into a folder of their own under the data folder. */
async function receive(request: FastifyRequest, dataDir: string): Promise<Uploaded> {
  const dir = join(dataDir, 'imports', `${Date.now()}-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const up: Uploaded = { dir, fields: {} };
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_IMPORT_BYTES, files: 2, fields: 10, fieldSize: 4000 } })) {
      if (part.type === 'file') {
        const which = part.fieldname === 'media' ? 'media' : part.fieldname === 'export' ? 'export' : undefined;
        if (!which || !part.filename) {
          part.file.resume();
          continue;
        }
        const path = join(dir, which === 'media' ? 'media.zip' : 'export');
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated) throw new AppError('too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 ** 3} GB.`, which);
        const file = { path, name: part.filename.slice(0, 200) };
        if (which === 'media') up.mediaFile = file;
        else up.exportFile = file;
      } else {
        up.fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof AppError || (status && status >= 400 && status < 500)) throw error;
    throw new AppError('bad_request', 'The form arrived incomplete or malformed: please send it again.');
  }
  return up;
}

/** /admin/import: administrators upload an export, preview the import, run it as a job and follow it. */
export async function importRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;
  const admins = requireRole('admin');
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 2 }, throwFileSizeLimit: false });

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    return { actor, settings, siteName: settings.siteName, csrf };
  }

  const showForm = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: AppError; typed?: TypedImport } = {}) => {
    const c = await common(request, reply);
    const runs = await listRuns(db);
    return sendHtml(
      reply,
      <ImportPage {...c} runs={runs} typed={extra.typed} error={extra.error && formError(extra.error)} />,
      extra.error?.status,
    );
  };

  app.get('/admin/import', { preHandler: admins }, (request, reply) => showForm(request, reply));

  // The role is checked before the upload is read; the CSRF token, which travels in the form, after.
  const adminUpload = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'private, no-store');
    const actor = await getActor(request);
    if (!actor) {
      if (wantsJson(request)) throw new AppError('unauthorized', 'Log in first.');
      return reply.redirect('/admin/login?next=%2Fadmin%2Fimport', 303);
    }
    if (actor.role !== 'admin') throw new AppError('forbidden', 'Your role does not allow this.');
    if (!request.isMultipart()) throw new AppError('bad_request', 'Send the export as a file in a multipart/form-data form.');
  };

  app.post('/admin/import', { preHandler: adminUpload }, async (request, reply) => {
    const up = await receive(request, config.dataDir);
    request.body = up.fields;
    const actor = await actorOf(request);
    try {
      if (actor.kind === 'session') await verifyCsrf(request);
    } catch (error) {
      await rm(up.dir, { recursive: true, force: true });
      throw error;
    }
    const typed: TypedImport = {
      source: text(up.fields.source, 20),
      pages: text(up.fields.pages, 20),
      sectionMap: text(up.fields.sectionMap, 2000),
    };
    try {
      const source = typed.source;
      if (!isImportSource(source)) throw new AppError('invalid', 'Choose WordPress or Ghost.', 'source');
      if (!up.exportFile) throw new AppError('invalid', 'Choose the export file to import.', 'export');
      const pages = typed.pages === 'skip' ? 'skip' : 'section';
      let sectionMap: Record<string, string>;
      try {
        sectionMap = parseSectionMap(typed.sectionMap);
      } catch {
        throw new AppError('invalid', 'Write the categories as old=New section, separated by commas.', 'sectionMap');
      }
      const exportFile = up.exportFile;
      const { timeZone } = await app.gazette.settings();
      let report: ImportReport;
      try {
        report = await runImport(db, {
          source,
          open: () => readExport(source, exportFile.path, { timeZone }),
          media: up.mediaFile?.path,
          dryRun: true,
          pages,
          sectionMap,
          mediaRoot: join(config.dataDir, 'media'),
        });
      } catch (error) {
        if (!(error instanceof ImportFormatError)) throw error;
        // Name the files as the user knows them, not where the server keeps them.
        const message = error.message
          .split(exportFile.path)
          .join(exportFile.name)
          .split(up.mediaFile?.path ?? '\0')
          .join(up.mediaFile?.name ?? '');
        throw new AppError('invalid', message, 'export');
      }
      const id = await createRun(db, {
        source,
        filePath: exportFile.path,
        fileName: exportFile.name,
        mediaPath: up.mediaFile?.path ?? null,
        options: { pages, sectionMap },
        report,
        userId: actor.userId ?? null,
      });
      return reply.redirect(`/admin/import/${id}`, 303);
    } catch (error) {
      await rm(up.dir, { recursive: true, force: true });
      if (error instanceof AppError && error.status < 500) return showForm(request, reply, { error, typed });
      throw error;
    }
  });

  app.get<{ Params: { id: string } }>('/admin/import/:id', { preHandler: admins }, async (request, reply) => {
    const run = await findRun(db, idParam(request.params.id, 'There is no such import.'));
    if (!run) throw new AppError('not_found', 'There is no such import.');
    const c = await common(request, reply);
    if (run.status === 'queued' || run.status === 'running') reply.header('Refresh', '3');
    const progress = JSON.parse(run.progress) as ImportProgress;
    const report = run.report ? (JSON.parse(run.report) as ImportReport) : undefined;
    return sendHtml(reply, <RunPage {...c} run={run} progress={progress ?? EMPTY_PROGRESS} report={report} />);
  });

  app.post<{ Params: { id: string } }>('/admin/import/:id/start', { preHandler: admins }, async (request, reply) => {
    const id = idParam(request.params.id, 'There is no such import.');
    const run = await findRun(db, id);
    if (!run) throw new AppError('not_found', 'There is no such import.');
    await db.transaction().execute(async (trx) => {
      // Pressed twice (or in two tabs): the second press finds it queued already and adds nothing.
      if (await setRunState(trx, id, { from: 'previewed', status: 'queued' })) {
        await enqueueJob(trx, { type: IMPORT_JOB, payload: { runId: id }, key: `import:${id}`, maxAttempts: 1 });
      }
    });
    return reply.redirect(`/admin/import/${id}`, 303);
  });
}
