import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiErrorSchema } from '../articles/article.schema.js';
import type { Gazette } from '../web/context.js';
import { AnalyticsCollector } from './analytics.ingest.js';
import { asksNotToTrack, BEACON_MAX_BYTES, BEACON_TYPES, isBot, parseBeacon } from './beacon.parse.js';

const collectors = new WeakMap<Gazette, AnalyticsCollector>();

/** The beacon buffer of an app (tests flush it by hand). */
export function collectorOf(gazette: Gazette): AnalyticsCollector {
  const c = collectors.get(gazette);
  if (!c) throw new Error('analytics are not installed on this app');
  return c;
}

/** The host a site's visitors are counted for: the configured site URL's, else the request's. */
export function siteHost(siteUrl: string, requestHost: string): string {
  if (siteUrl) {
    try {
      return new URL(siteUrl).host;
    } catch {}
  }
  return requestHost;
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
export async function beaconRoutes(app: FastifyInstance) {
  const { gazette } = app;
  const collector = new AnalyticsCollector(gazette.db, {
    retentionDays: async () => (await gazette.settings()).analyticsRetentionDays,
    onError: (err) => app.log.warn({ err }, 'writing analytics beacons failed; kept for the next flush'),
  });
  collectors.set(gazette, collector);
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
      const beacon = parseBeacon(request.body);
      const ua = String(request.headers['user-agent'] ?? '');
      if (isBot(ua)) return reply.code(204).send();
      const settings = await gazette.settings();
      const private_ = asksNotToTrack(request.headers);
      if (private_ && settings.analyticsPrivacySignals === 'skip') return reply.code(204).send();
      const host = siteHost(settings.siteUrl, request.host);
      collector.accept(beacon, host, private_ ? null : { ip: request.ip, ua });
      return reply.code(204).send();
    },
  );
}
