import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findMediaByIds } from '../media/media.service.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { bestJpeg } from './image.pick.js';
import {
  APPLE_TOUCH_SIZE,
  ARTWORK_MAX,
  ARTWORK_SIZE,
  BACKGROUND_COLOR,
  PUBLISHER_LOGO_SIZE,
  SITE_IMAGE,
  SITE_PATHS,
  shortName,
  siteImageVersion,
  THEME_COLOR,
  versioned,
} from './site.assets.js';
import { artworkSvg, bannerSvg, coverJpeg, iconSvg, icoOf, jpegOf, logoTile, pngOf } from './site.image.js';

interface Made {
  bytes: Buffer;
  type: string;
  etag: string;
}

type Maker = (s: SiteSettings) => Promise<{ bytes: Buffer; type: string }>;

/**
 * The favicon, touch and manifest icons, the publisher logo, the web app manifest, the podcast artwork and the site's
 * link-preview image. Each is made on first request from the settings (the uploaded image, else
 * the logo, else a drawing of the site name) and kept in memory under the settings' version, so a
 * changed name, logo or upload makes new ones; head links carry that version as `?v=`.
 */
export async function siteImageRoutes(app: FastifyInstance) {
  const { db } = app.gazette;
  const made = new Map<string, { version: string; job: Promise<Made> }>();

  /** The largest stored JPEG of a media library image, or undefined when it is gone. */
  const mediaBytes = async (mediaId: number | undefined): Promise<{ bytes: Buffer; width: number; height: number } | undefined> => {
    if (!mediaId) return undefined;
    const media = (await findMediaByIds(db, [mediaId])).get(mediaId);
    const source = media ? bestJpeg(media, Number.POSITIVE_INFINITY) : undefined;
    if (!source) return undefined;
    const bytes = await app.storage.media.get(source.path).catch(() => undefined);
    return bytes && { bytes, width: source.width, height: source.height };
  };
  const logoOf = async (s: SiteSettings) => (await mediaBytes(s.logo?.mediaId))?.bytes;

  const icon = (size: number) => async (s: SiteSettings) => {
    const logo = await logoOf(s);
    return { bytes: logo ? await logoTile(logo, size, size, 'png') : await pngOf(iconSvg(s.siteName, size), size), type: 'image/png' };
  };

  const makers: Record<string, Maker> = {
    [SITE_PATHS.favicon]: async (s) => {
      const logo = await logoOf(s);
      const images = await Promise.all(
        [16, 32, 48].map(async (size) => ({
          size,
          png: logo ? await logoTile(logo, size, size, 'png') : await pngOf(iconSvg(s.siteName, size), size),
        })),
      );
      return { bytes: icoOf(images), type: 'image/x-icon' };
    },
    [SITE_PATHS.appleTouch]: icon(APPLE_TOUCH_SIZE),
    [SITE_PATHS.icon192]: icon(192),
    [SITE_PATHS.icon512]: icon(512),
    [SITE_PATHS.publisherLogo]: icon(PUBLISHER_LOGO_SIZE),
    [SITE_PATHS.artwork]: async (s) => {
      const upload = await mediaBytes(s.podcastArtwork?.mediaId);
      if (upload) {
        const side = Math.min(Math.max(Math.min(upload.width, upload.height), ARTWORK_SIZE), ARTWORK_MAX);
        return { bytes: await coverJpeg(upload.bytes, side, side), type: 'image/jpeg' };
      }
      const logo = await logoOf(s);
      const bytes = logo ? await logoTile(logo, ARTWORK_SIZE, ARTWORK_SIZE, 'jpeg') : await jpegOf(artworkSvg(s.siteName, ARTWORK_SIZE));
      return { bytes, type: 'image/jpeg' };
    },
    [SITE_PATHS.siteImage]: async (s) => {
      const { width, height } = SITE_IMAGE;
      const upload = await mediaBytes(s.siteImage?.mediaId);
      if (upload) return { bytes: await coverJpeg(upload.bytes, width, height), type: 'image/jpeg' };
      const logo = await logoOf(s);
      const bytes = logo ? await logoTile(logo, width, height, 'jpeg') : await jpegOf(bannerSvg(s.siteName, width, height));
      return { bytes, type: 'image/jpeg' };
    },
    [SITE_PATHS.manifest]: async (s) => {
      const manifest = {
        name: s.siteName,
        short_name: shortName(s.siteName),
        description: s.siteDescription,
        lang: s.locale,
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOR,
        background_color: BACKGROUND_COLOR,
        icons: [
          { src: versioned(s, SITE_PATHS.icon192), sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: versioned(s, SITE_PATHS.icon512), sizes: '512x512', type: 'image/png', purpose: 'any' },
        ],
      };
      return { bytes: Buffer.from(JSON.stringify(manifest)), type: 'application/manifest+json; charset=utf-8' };
    },
  };

  /** One making per path and version, however many requests arrive together; a failure is retried by the next request. */
  const get = (path: string, s: SiteSettings): Promise<Made> => {
    const version = siteImageVersion(s);
    const known = made.get(path);
    if (known && known.version === version) return known.job;
    const job = makers[path](s).then((m) => ({ ...m, etag: `"${createHash('sha256').update(m.bytes).digest('base64url').slice(0, 22)}"` }));
    made.set(path, { version, job });
    job.catch(() => {
      if (made.get(path)?.job === job) made.delete(path);
    });
    return job;
  };

  const send = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    const s = await app.gazette.settings();
    const m = await get(path, s);
    const current = (request.query as { v?: string }).v === siteImageVersion(s);
    // A versioned address never changes its bytes; the bare one (browsers ask for /favicon.ico by themselves) may, within a day.
    reply
      .header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=86400')
      .header('ETag', m.etag)
      .type(m.type);
    const match = request.headers['if-none-match'];
    if (match?.split(',').some((t) => t.trim().replace(/^W\//, '') === m.etag)) return reply.code(304).send();
    return reply.send(m.bytes);
  };

  for (const path of Object.keys(makers)) app.get(path, (request, reply) => send(request, reply, path));
}
