import type { FastifyInstance } from 'fastify';

/** Sections, tags, authors, staff and site settings. */
export async function newsroomAdminRoutes(_app: FastifyInstance) {}
