import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { checkIdParam } from '../api/api.common.js';
import { checkValidation } from '../articles/article.api.js';
import { ARTICLE_ROLES } from '../articles/article.rules.js';
import { ApiErrorSchema, IdParams } from '../articles/article.schema.js';
import { mediaUrl } from '../articles/article.urls.js';
import { AppError, notFound } from '../errors.js';
import { findLibraryItem, LIBRARY_PAGE, type LibraryItem, listLibrary, uploadImage } from '../newsroom/library.service.js';
import { MAX_UPLOAD_BYTES, readUpload, type UploadBody } from '../newsroom/upload.js';
import { actorOf, requireApiRole } from '../web/auth.js';
import { text } from '../web/request.parse.js';
import { inspectImage } from './image.js';

const VariantSchema = Type.Object({
  format: Type.Union([Type.Literal('avif'), Type.Literal('webp'), Type.Literal('jpeg')]),
  width: Type.Integer(),
  height: Type.Integer(),
  url: Type.String(),
});

export const MediaApiSchema = Type.Object({
  id: Type.Integer({ description: 'Use it as an author’s photo_id' }),
  url: Type.String({ description: 'The largest JPEG variant' }),
  width: Type.Integer(),
  height: Type.Integer(),
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  mime: Type.String({ description: 'The type of the file as uploaded (its metadata is never served)' }),
  bytes: Type.Integer(),
  created_at: Type.String(),
  variants: Type.Array(VariantSchema, { description: 'Resized copies, metadata stripped: AVIF, WebP and JPEG at several widths' }),
});

const UploadSchema = Type.Object({
  file: Type.String({ format: 'binary', description: `JPEG, PNG, WebP, AVIF or GIF, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }),
  alt: Type.Optional(Type.String({ description: 'At most 500 characters' })),
  caption: Type.Optional(Type.String({ description: 'At most 1000 characters' })),
  credit: Type.Optional(Type.String({ description: 'At most 300 characters' })),
});

const MediaListQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) });

const mediaJson = (m: LibraryItem) => {
  const jpeg = m.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0];
  return {
    id: m.id,
    url: jpeg ? mediaUrl(jpeg.path) : '',
    width: m.width,
    height: m.height,
    alt: m.alt,
    caption: m.caption,
    credit: m.credit,
    mime: m.mime,
    bytes: m.bytes,
    created_at: m.createdAt,
    variants: m.variants.map((v) => ({ format: v.format, width: v.width, height: v.height, url: mediaUrl(v.path) })),
  };
};

const uploads = new WeakMap<FastifyRequest, UploadBody>();

/** After the role check: the body must be multipart (else 415); it is read here, one file of at most 20 MB. */
async function readApiUpload(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media', 'Send the image as the field "file" of a multipart/form-data body.', 'file');
  }
  uploads.set(request, await readUpload(request));
}

/**
 * A file whose bytes are not an image type Gazette takes is the wrong media type (415); a damaged
 * or oversized image of a right type stays 422 and a file over the limit 413, from the same
 * pipeline as the newsroom's upload.
 */
async function checkMediaType(file: UploadBody['file']) {
  if (!file || file.truncated || file.buffer.length === 0 || file.buffer.length > MAX_UPLOAD_BYTES) return;
  try {
    await inspectImage(file.buffer);
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_image') throw new AppError('unsupported_media', error.message, 'file');
  }
}

/** /api/v1/media: the media library for staff tokens that may use it (writers, editors, administrators). */
export async function mediaApiRoutes(app: FastifyInstance) {
  const { db, mediaRoot } = app.gazette;
  // Multipart bodies are parsed only in this plugin's scope, as in the newsroom's.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 }, throwFileSizeLimit: false });
  const staff = requireApiRole(...ARTICLE_ROLES);

  app.get<{ Querystring: { page?: number } }>(
    '/api/v1/media',
    {
      attachValidation: true,
      preHandler: staff,
      schema: {
        summary: `The media library, newest first, ${LIBRARY_PAGE} a page (writers, editors, administrators)`,
        tags: ['media'],
        security: [{ bearer: [] }],
        querystring: MediaListQuery,
        response: {
          200: Type.Object({
            media: Type.Array(MediaApiSchema),
            total: Type.Integer(),
            next_page: Type.Union([Type.Integer(), Type.Null()]),
          }),
          401: ApiErrorSchema,
          403: ApiErrorSchema,
          422: ApiErrorSchema,
        },
      },
    },
    async (request) => {
      checkValidation(request);
      const page = request.query.page ?? 1;
      const lib = await listLibrary(db, page);
      return { media: lib.items.map(mediaJson), total: lib.total, next_page: page * LIBRARY_PAGE < lib.total ? page + 1 : null };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/media/:id',
    {
      attachValidation: true,
      preHandler: staff,
      schema: {
        summary: 'One image of the media library (writers, editors, administrators)',
        tags: ['media'],
        security: [{ bearer: [] }],
        params: IdParams,
        response: { 200: MediaApiSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request) => {
      checkIdParam(request, 'No such image.');
      const item = await findLibraryItem(db, Number(request.params.id));
      if (!item) throw notFound('No such image.');
      return mediaJson(item);
    },
  );

  app.post(
    '/api/v1/media',
    {
      // The multipart body is read by readApiUpload, after the role check; its schema documents it.
      attachValidation: true,
      preHandler: [staff, readApiUpload],
      schema: {
        summary: 'Upload an image (multipart/form-data: file, alt, caption, credit): validated, metadata stripped, variants made',
        tags: ['media'],
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        body: UploadSchema,
        response: {
          201: MediaApiSchema,
          400: ApiErrorSchema,
          401: ApiErrorSchema,
          403: ApiErrorSchema,
          409: ApiErrorSchema,
          413: ApiErrorSchema,
          415: ApiErrorSchema,
          422: ApiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const actor = await actorOf(request);
      const { fields, file } = uploads.get(request) ?? { fields: {} };
      await checkMediaType(file);
      const meta = { alt: text(fields.alt, 2000), caption: text(fields.caption, 5000), credit: text(fields.credit, 2000) };
      const id = await uploadImage(db, { actor, file, meta, mediaRoot });
      const item = await findLibraryItem(db, id);
      if (!item) throw notFound('No such image.');
      return reply.code(201).header('Location', `/api/v1/media/${id}`).send(mediaJson(item));
    },
  );
}
