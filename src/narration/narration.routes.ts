import { mkdirSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorsOf } from '../articles/article.repo.js';
import { sectionUrl } from '../articles/article.urls.js';
import { findSectionBySlug } from '../sections/section.service.js';
import { sendWithValidators } from '../seo/conditional.http.js';
import { sendNotFound } from '../web/not-found.js';
import { pageContext } from '../web/render.js';
import { AUDIO_FILE_PATTERN, audioDir } from './narration.files.js';
import { listReadyNarrations } from './narration.repo.js';
import { buildPodcast, type PodcastChannel } from './podcast.feed.js';

const EPISODES = 50;

/** The narration audio (with ranges, cached forever under hashed names) and the podcast feeds. */
export async function narrationRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;
  const root = audioDir(config.dataDir);
  mkdirSync(root, { recursive: true });
  // @fastify/static answers Range requests with 206 and Accept-Ranges, and sets audio/mpeg for .mp3.
  await app.register(fastifyStatic, {
    root,
    prefix: '/audio/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
    allowedPath: (path) => AUDIO_FILE_PATTERN.test(path.replace(/^\//, '')),
  });

  const podcast = async (request: FastifyRequest, sectionSlug?: string) => {
    const ctx = await pageContext(request);
    const section = sectionSlug ? await findSectionBySlug(db, sectionSlug) : undefined;
    if (sectionSlug && !section) return undefined;
    const rows = await listReadyNarrations(db, { sectionId: section?.id, limit: EPISODES });
    const authors = await authorsOf(
      db,
      rows.map((r) => r.id),
    );
    const pagePath = section ? sectionUrl(section) : '/';
    const channel: PodcastChannel = {
      origin: ctx.origin,
      title: section ? `${section.name} — ${ctx.settings.siteName} (audio)` : `${ctx.settings.siteName} (audio)`,
      description: section?.description || `Articles from ${ctx.settings.siteName}, read aloud.`,
      pagePath,
      feedPath: section ? `${pagePath}/podcast.xml` : '/podcast.xml',
      language: ctx.settings.locale,
      siteName: ctx.settings.siteName,
    };
    const episodes = rows.map((r) => ({ ...r, authors: (authors.get(r.id) ?? []).map((a) => a.name) }));
    return { body: buildPodcast(channel, episodes), lastModified: rows[0]?.published_at };
  };

  app.get('/podcast.xml', async (request, reply) => {
    const doc = await podcast(request);
    return sendWithValidators(request, reply, {
      body: doc!.body,
      type: 'application/rss+xml; charset=utf-8',
      lastModified: doc!.lastModified,
    });
  });
  app.get<{ Params: { section: string } }>('/:section/podcast.xml', async (request, reply) => {
    const doc = await podcast(request, request.params.section);
    if (!doc) return sendNotFound(request, reply);
    return sendWithValidators(request, reply, {
      body: doc.body,
      type: 'application/rss+xml; charset=utf-8',
      lastModified: doc.lastModified,
    });
  });
}
