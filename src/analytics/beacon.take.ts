import type { IncomingHttpHeaders } from 'node:http';
import type { Gazette } from '../web/context.js';
import type { AnalyticsCollector } from './analytics.ingest.js';
import { asksNotToTrack, isBot, parseBeacon } from './beacon.parse.js';

/** What a beacon request brings, however it arrived (the front door or Fastify). */
export interface BeaconRequest {
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The reader's address (behind trusted proxies, the right-most untrusted one). */
  ip: string;
  /** The host the request was made to. */
  host: string;
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

/**
 * One beacon: checked (an AppError for a bad one), then buffered unless it comes from a robot or
 * from a reader who asks not to be tracked while the setting says skip. Nothing is answered here.
 */
export async function takeBeacon(gazette: Gazette, collector: AnalyticsCollector, request: BeaconRequest): Promise<void> {
  const beacon = parseBeacon(request.body);
  const ua = String(request.headers['user-agent'] ?? '');
  if (isBot(ua)) return;
  const settings = await gazette.settings();
  const private_ = asksNotToTrack(request.headers);
  if (private_ && settings.analyticsPrivacySignals === 'skip') return;
  collector.accept(beacon, siteHost(settings.siteUrl, request.host), private_ ? null : { ip: request.ip, ua });
}
