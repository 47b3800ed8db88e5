import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { analyticsApiRoutes } from './analytics/analytics.api.js';
import { analyticsRoutes } from './analytics/analytics.routes.js';
import { beaconRoutes } from './analytics/beacon.routes.js';
import { openApiRoutes, registerOpenApi } from './api/openapi.js';
import { articleApiRoutes } from './articles/article.api.js';
import { articleRoutes } from './articles/article.routes.js';
import { authorApiRoutes } from './authors/author.api.js';
import { authorRoutes } from './authors/author.routes.js';
import type { PageCacheConfig } from './cache/cache.config.js';
import { installPageCache } from './cache/cache.plugin.js';
import { FrontDoor } from './cache/front.door.js';
import { installRenderLimit } from './cache/render.limit.js';
import { installSocketDoor } from './cache/socket.door.js';
import { commentApiRoutes } from './comments/comment.api.js';
import { sharedThrottles } from './comments/comment.context.js';
import { commentRoutes } from './comments/comment.routes.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { DialectName } from './db/dialect.js';
import { feedRoutes } from './feeds/feed.routes.js';
import { importRoutes } from './import/import.routes.js';
import { lazySchemaCompilers } from './lazy.js';
import { mailRoutes } from './mail/mail.routes.js';
import { mediaApiRoutes } from './media/media.api.js';
import { moderationApiRoutes } from './moderation/moderation.api.js';
import { moderationRoutes } from './moderation/moderation.routes.js';
import { moderationSettingsRoutes } from './moderation/moderation.settings.routes.js';
import { lexiconRoutes } from './narration/lexicon.routes.js';
import { narrationAdminRoutes } from './narration/narration.admin.js';
import { narrationRoutes } from './narration/narration.routes.js';
import { issueRoutes } from './newsletters/issue.routes.js';
import { listRoutes } from './newsletters/list.routes.js';
import { subscriberAdminRoutes } from './newsletters/subscriber.admin.js';
import { subscriberRoutes } from './newsletters/subscriber.routes.js';
import { newsroomRoutes } from './newsroom/newsroom.routes.js';
import { recordRoutes } from './ops/routes.registry.js';
import { redirectApiRoutes } from './redirects/redirect.api.js';
import { redirectRoutes } from './redirects/redirect.routes.js';
import { searchRoutes } from './search/search.routes.js';
import { sectionApiRoutes } from './sections/section.api.js';
import { sectionRoutes } from './sections/section.routes.js';
import { imageRoutes } from './seo/image.routes.js';
import { sitemapRoutes } from './seo/sitemap.routes.js';
import { loadSettings, type SiteSettings } from './settings/settings.service.js';
import { openStorage } from './storage/storage.js';
import { tagApiRoutes } from './tags/tag.api.js';
import { tagRoutes } from './tags/tag.routes.js';
import { setupRoutes } from './users/setup.routes.js';
import { userRoutes } from './users/user.routes.js';
import type { Gazette } from './web/context.js';
import './web/context.js';
import { installCompression } from './web/compress.js';
import { installErrorHandlers } from './web/errors.js';
import { fastifyTrustProxy, installInputGuards, installSecurityHeaders, proxyTrust } from './web/security.js';
import { staticRoutes } from './web/static.routes.js';
import { installTextInput } from './web/text-input.js';
import { webhookApiRoutes } from './webhooks/webhook.api.js';
import { webhookRoutes } from './webhooks/webhook.routes.js';

export interface AppOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  /** The in-memory page cache; absent: off (CDN headers and ETags are still sent). */
  cache?: PageCacheConfig;
  /** pino logger options; false silences logging (tests). */
  logger?: boolean | object;
}

const SETTINGS_TTL_MS = 5000;

/** Builds the whole web application; the caller decides whether to listen or inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const front = new FrontDoor(proxyTrust(config.trustProxy));
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    // Cached reader pages are answered before Fastify sees the request (src/cache/front.door.ts).
    serverFactory: (handler, opts) => {
      const server = createServer((req, res) => {
        if (!front.serve(req, res)) handler(req, res);
      });
      // The timeouts Fastify gives the servers it makes itself.
      const timeouts = opts as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      server.keepAliveTimeout = timeouts.keepAliveTimeout ?? 72_000;
      server.requestTimeout = timeouts.requestTimeout ?? 0;
      server.setTimeout(timeouts.connectionTimeout ?? 0);
      // GAZETTE_SOCKET_DOOR=off leaves every connection to Node's parser (docs/adr/0001-socket-door.md).
      if (options.cache?.socketDoor !== false) installSocketDoor(server, front);
      return server;
    },
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Each route's schemas are compiled on its first call, not at start (src/lazy.ts).
    schemaController: schemas.schemaController,
  });
  app.decorate('compileSchemasAhead', schemas.compileAhead);
  const mediaRoot = join(config.dataDir, 'media');
  mkdirSync(mediaRoot, { recursive: true });
  let cached: { at: number; value: SiteSettings } | undefined;
  const gazette: Gazette = {
    db: options.db,
    dialect: options.dialect,
    config,
    mediaRoot,
    async settings() {
      if (!cached || Date.now() - cached.at > SETTINGS_TTL_MS) cached = { at: Date.now(), value: await loadSettings(options.db) };
      return cached.value;
    },
    invalidateSettings() {
      cached = undefined;
    },
  };
  app.decorate('gazette', gazette);
  // Media and narration audio: the data folder, or a shared bucket (src/storage).
  const storage = openStorage(config);
  app.decorate('storage', storage);
  app.addHook('onClose', async () => storage.close());
  recordRoutes(app);
  // Prometheus metrics on their own address (src/ops/metrics.ts), loaded only when GAZETTE_METRICS=on.
  if (config.metrics) (await import('./ops/metrics.js')).installMetrics(app, config.metrics);
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(cookie);
  await app.register(rateLimit, { global: false, ...sharedThrottles(app) });
  await registerOpenApi(app);
  installSecurityHeaders(app);
  installInputGuards(app);
  installTextInput(app);
  await installPageCache(app, options.cache, front);
  installRenderLimit(app, options.cache?.renderLimit);
  // After the page cache: its onSend hook takes the identity body first.
  installCompression(app);
  installErrorHandlers(app);
  await app.register(staticRoutes);
  await app.register(sectionRoutes);
  await app.register(authorRoutes);
  await app.register(tagRoutes);
  await app.register(userRoutes);
  await app.register(setupRoutes);
  await app.register(openApiRoutes);
  await app.register(commentApiRoutes);
  await app.register(commentRoutes);
  await app.register(moderationRoutes);
  await app.register(moderationSettingsRoutes);
  await app.register(moderationApiRoutes);
  await app.register(searchRoutes);
  await app.register(feedRoutes);
  await app.register(sitemapRoutes);
  await app.register(imageRoutes);
  await app.register(narrationRoutes);
  await app.register(narrationAdminRoutes);
  await app.register(lexiconRoutes);
  await app.register(newsroomRoutes);
  await app.register(redirectRoutes);
  await app.register(importRoutes);
  await app.register(issueRoutes);
  await app.register(subscriberRoutes);
  await app.register(subscriberAdminRoutes);
  await app.register(listRoutes);
  await app.register(mailRoutes);
  await app.register(mediaApiRoutes);
  await app.register(sectionApiRoutes);
  await app.register(authorApiRoutes);
  await app.register(tagApiRoutes);
  await app.register(redirectApiRoutes);
  await app.register(webhookRoutes);
  await app.register(webhookApiRoutes);
  await app.register(articleApiRoutes);
  await app.register(beaconRoutes, { front });
  await app.register(analyticsApiRoutes);
  await app.register(analyticsRoutes);
  await app.register(articleRoutes);
  return app;
}
