import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Role } from '../users/user.table.js';
import { getActor, verifyCsrf } from '../web/auth.js';
import { wantsJson } from '../web/request.parse.js';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface UploadedFile {
  buffer: Buffer;
  /** The file was longer than the limit: only its start was read. */
  truncated: boolean;
  filename: string;
}

/** The parsed fields of a multipart form, with its one file (if any) as `file`. */
export interface UploadBody {
  fields: Record<string, string>;
  file?: UploadedFile;
}

const uploads = new WeakMap<FastifyRequest, UploadBody>();

export function uploadOf(request: FastifyRequest): UploadBody {
  return uploads.get(request) ?? { fields: {} };
}

/**
 * requireRole for multipart forms: checks the role before reading the upload, then reads the
 * form (one file, at most 20 MB kept in memory) and checks its CSRF field. Nobody logged in:
 * a script asking for JSON gets 401, anyone else goes to the login page, which leads back to
 * `formPage` (the page the form is on; by default the upload's own address).
 */
export function requireUploadRole(roles: Role[], formPage?: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'private, no-store');
    const actor = await getActor(request);
    if (!actor) {
      if (wantsJson(request)) throw new AppError('unauthorized', 'Log in first.');
      return reply.redirect(`/admin/login?next=${encodeURIComponent(formPage ?? request.url)}`, 303);
    }
    if (!roles.includes(actor.role)) throw new AppError('forbidden', 'Your role does not allow this.');
    if (!request.isMultipart()) throw new AppError('bad_request', 'Send the image as a file in a multipart/form-data form.');
    const body = await readUpload(request);
    uploads.set(request, body);
    // verifyCsrf reads the token from the body (or the X-CSRF-Token header of scripts).
    request.body = body.fields;
    if (actor.kind === 'session') await verifyCsrf(request);
  };
}

/** Reads the form: a body cut short or malformed is the client's error (400), never a 500. */
export async function readUpload(request: FastifyRequest): Promise<UploadBody> {
  const body: UploadBody = { fields: {} };
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 30, fieldSize: 20_000 } })) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        const file: MultipartFile = part;
        for await (const chunk of file.file) chunks.push(chunk as Buffer);
        if (!body.file && part.filename)
          body.file = { buffer: Buffer.concat(chunks), truncated: file.file.truncated, filename: file.filename };
      } else {
        body.fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof AppError || (status && status >= 400 && status < 500)) throw error;
    throw new AppError('bad_request', 'The form arrived incomplete or malformed: please send it again.');
  }
  return body;
}
