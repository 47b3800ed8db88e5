import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorsOf } from '../articles/article.repo.js';
import { sectionUrl } from '../articles/article.urls.js';
import { cacheKey } from '../cache/keys.js';
import { findSectionBySlug } from '../sections/section.service.js';
import { sendDocument } from '../seo/conditional.http.js';
import { storedFileRoute } from '../storage/storage.http.js';
import { sendNotFound } from '../web/not-found.js';
import { pageContext } from '../web/render.js';
import { AUDIO_FILE_PATTERN } from './narration.files.js';
import { listReadyNarrations } from './narration.repo.js';
import { buildPodcast, type PodcastChannel, podcastShow } from './podcast.feed.js';

const EPISODES = 50;

/** The narration audio (with ranges, cached forever under hashed names) and the podcast feeds. */
export async function narrationRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  // From the data folder or the shared bucket, with ranges (206) for players that seek.
  storedFileRoute(app, '/audio', AUDIO_FILE_PATTERN, () => app.storage.audio);

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
      ...podcastShow(ctx.origin, ctx.settings),
    };
    const episodes = rows.map((r) => ({ ...r, authors: (authors.get(r.id) ?? []).map((a) => a.name) }));
    // What the feed shows: each episode's article and bylines; a new narration purges `podcast`.
    const keys: string[] = [cacheKey.feeds, cacheKey.podcast];
    for (const r of rows) keys.push(cacheKey.article(r.id), ...(authors.get(r.id) ?? []).map((a) => cacheKey.person(a.id)));
    return { body: buildPodcast(channel, episodes), keys, lastModified: rows[0]?.published_at };
  };
  const send = (request: FastifyRequest, reply: FastifyReply, doc: Awaited<ReturnType<typeof podcast>>) =>
    doc ? sendDocument(request, reply, { ...doc, type: 'application/rss+xml; charset=utf-8' }) : sendNotFound(request, reply);

  app.get('/podcast.xml', async (request, reply) => send(request, reply, await podcast(request)));
  app.get<{ Params: { section: string } }>('/:section/podcast.xml', async (request, reply) =>
    send(request, reply, await podcast(request, request.params.section)),
  );
}
