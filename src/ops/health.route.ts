import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { healthOf } from './health.js';

/**
 * GET /healthz: 200 `{"status":"ok"}`, or 503 with the reason (`disk full`, `database
 * unreachable`) for a load balancer or supervisor. The database check is cached for a second.
 */
export function healthRoute(app: FastifyInstance, db: Kysely<any>): void {
  app.get('/healthz', async (_request, reply) => {
    const answer = await healthOf(db).check(db);
    reply.header('Cache-Control', 'no-store');
    if (answer.ok) return reply.send({ status: 'ok' });
    return reply.code(503).send({ status: 'unavailable', reason: answer.reason });
  });
}
