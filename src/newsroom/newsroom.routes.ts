import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { newsroomAdminRoutes } from './admin.routes.js';
import { newsroomArticleRoutes } from './article.routes.js';
import { newsroomArticleExtraRoutes } from './article-extra.routes.js';
import { newsroomLibraryRoutes } from './library.routes.js';
import { newsroomRevisionRoutes } from './revision.routes.js';
import { newsroomStaffRoutes } from './staff.routes.js';
import { newsroomTokenRoutes } from './token.routes.js';
import { MAX_UPLOAD_BYTES } from './upload.js';

/** The newsroom at /admin: articles, revisions, corrections, media, and the site's structure and staff. */
export async function newsroomRoutes(app: FastifyInstance) {
  // Multipart forms are parsed only inside the newsroom (this plugin's scope): image uploads.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 }, throwFileSizeLimit: false });
  await app.register(newsroomArticleRoutes);
  await app.register(newsroomArticleExtraRoutes);
  await app.register(newsroomRevisionRoutes);
  await app.register(newsroomLibraryRoutes);
  await app.register(newsroomAdminRoutes);
  await app.register(newsroomStaffRoutes);
  await app.register(newsroomTokenRoutes);
}
