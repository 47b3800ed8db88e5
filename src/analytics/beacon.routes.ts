import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiErrorSchema } from '../articles/article.schema.js';
import type { FrontDoor } from '../cache/front.door.js';
import type { Gazette } from '../web/context.js';
import { AnalyticsCollector } from './analytics.ingest.js';
import { threadSink } from './analytics.thread.client.js';
import { beaconDoor } from './beacon.door.js';
import { BEACON_MAX_BYTES, BEACON_TYPES } from './beacon.parse.js';
import { takeBeacon } from './beacon.take.js';

const collectors = new WeakMap<Gazette, AnalyticsCollector>();

/** The beacon buffer of an app (tests flush it by hand). */
export function collectorOf(gazette: Gazette): AnalyticsCollector {
  const c = collectors.get(gazette);
  if (!c) throw new Error('analytics are not installed on this app');
  return c;
}

const BeaconDoc = Type.Object(
  {
    type: Type.Union(BEACON_TYPES.map((t) => Type.Literal(t))),
    path: Type.String({ description: 'The page path, e.g. /politics/council-approves-budget', maxLength: 500 }),
    value: Type.Optional(
      Type.Integer({ description: 'depth: 25/50/75/100; listen: 0 (started)/25/50/75/100; engaged: seconds (5-second steps)' }),
    ),
    detail: Type.Optional(Type.String({ description: 'share: the network; comment: open or submit' })),
    referrer: Type.Optional(Type.String({ description: 'The referring host name only' })),
    utm_source: Type.Optional(Type.String()),
    utm_medium: Type.Optional(Type.String()),
    utm_campaign: Type.Optional(Type.String()),
    screen: Type.Optional(Type.Union([Type.Literal('s'), Type.Literal('m'), Type.Literal('l')])),
  },
  { description: 'Sent as application/json or text/plain (navigator.sendBeacon)' },
);

/**
 * POST /api/v1/beacon: the reader page's analytics beacon. Validates, pushes into the in-memory
 * buffer and answers 204; never a cookie, never the page cache; robots are answered but not counted.
 */
export async function beaconRoutes(app: FastifyInstance, options: { front?: FrontDoor }) {
  const { gazette } = app;
  const collector = new AnalyticsCollector(gazette.db, {
    retentionDays: async () => (await gazette.settings()).analyticsRetentionDays,
    onError: (err) => app.log.warn({ err }, 'writing analytics beacons failed; kept for the next flush'),
    // A thread of its own writes the batches, off the event loop that answers readers.
    sink: threadSink({ dataDir: gazette.config.dataDir, databaseUrl: gazette.config.databaseUrl, pgPrepare: gazette.config.pgPrepare }),
  });
  collectors.set(gazette, collector);
  // Over HTTP the front door answers beacons before Fastify (src/analytics/beacon.door.ts); the
  // route below answers the same for requests made without a socket and documents the endpoint.
  options.front?.answerFirst(
    '/api/v1/beacon',
    beaconDoor({
      trust: options.front.trustProxy,
      take: (request) => takeBeacon(gazette, collector, request),
      onError: (err) => app.log.error({ err }, 'a beacon failed'),
    }),
  );
  collector.start();
  app.addHook('onClose', async () => {
    await collector.stop().catch((err) => app.log.warn({ err }, 'writing the last analytics beacons failed'));
  });
  // Whatever another part of the site does, this route answers without a cookie.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.removeHeader('set-cookie');
    return payload;
  });

  app.post(
    '/api/v1/beacon',
    {
      bodyLimit: BEACON_MAX_BYTES,
      schema: {
        summary: 'Record a reader-page beacon (cookie-free analytics)',
        tags: ['analytics'],
        // Documented, not enforced here: the text/plain body sendBeacon sends is parsed by parseBeacon.
        body: BeaconDoc,
        response: { 204: Type.Null(), 400: ApiErrorSchema, 413: ApiErrorSchema, 422: ApiErrorSchema },
      },
      // The schema above is for the OpenAPI document; parseBeacon checks both content types alike.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      await takeBeacon(gazette, collector, { body: request.body, headers: request.headers, ip: request.ip, host: request.host });
      return reply.code(204).send();
    },
  );
}
