import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SITE_PATHS } from '../seo/site.assets.js';
import { getActor } from '../web/auth.js';

/** The window the limit is counted over. */
export const RENDER_WINDOW_MS = 10_000;
/** Addresses remembered at most; past that, the ones that have their whole allowance back are forgotten. */
const MAX_ADDRESSES = 20_000;

/** Files served as they are (built assets, uploads, audio, the site's icons) and the health check: no render to limit. */
const FILES = ['/assets/', '/media/', '/audio/'];
const PLAIN = new Set<string>(['/healthz', ...Object.values(SITE_PATHS)]);

/**
 * A token bucket per client address: `renders` tokens, refilled evenly over the window. Each
 * render takes one; an address with none left waits for the next.
 */
export class RenderBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  stats = { allowed: 0, refused: 0 };

  constructor(
    readonly renders: number,
    readonly windowMs = RENDER_WINDOW_MS,
  ) {
    this.perMs = renders / windowMs;
  }

  /** 0 when `address` may render now (a token is taken); otherwise the whole seconds until it may. */
  take(address: string, now = Date.now()): number {
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= MAX_ADDRESSES) this.forgetIdle(now);
      bucket = { tokens: this.renders, at: now };
      this.buckets.set(address, bucket);
    } else {
      bucket.tokens = Math.min(this.renders, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.stats.allowed++;
      return 0;
    }
    this.stats.refused++;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  private forgetIdle(now: number): void {
    for (const [address, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.renders) this.buckets.delete(address);
    }
    // Every address is busy (a flood from many addresses): start again rather than grow.
    if (this.buckets.size >= MAX_ADDRESSES) this.buckets.clear();
  }
}

/** The machine itself: a proxy on the same host without GAZETTE_TRUST_PROXY, a benchmark, the operator. */
function isLoopback(address: string): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

function exempt(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0];
  return PLAIN.has(path) || FILES.some((prefix) => path.startsWith(prefix)) || isLoopback(request.ip ?? '');
}

/** True for a signed-in member of staff (a session or an API token that checks out); a forged cookie is nobody. */
async function isStaff(request: FastifyRequest): Promise<boolean> {
  if (!request.headers.authorization && !request.headers.cookie) return false;
  return (await getActor(request).catch(() => null)) !== null;
}

const TOO_MANY = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too many requests</title></head>
<body><h1>Too many requests</h1><p>This address asked for more pages than we render for one reader in a few seconds. Please wait a moment and reload.</p></body></html>
`;

function refuse(reply: FastifyReply, retryAfter: number): FastifyReply {
  return reply
    .code(429)
    .header('Retry-After', String(retryAfter))
    .header('Cache-Control', 'private, no-store')
    .type('text/html; charset=utf-8')
    .send(TOO_MANY);
}

/**
 * Limits what one client address can make the server render: every GET or HEAD that reaches
 * the application (cached pages are answered before this and are not counted) takes a token;
 * staff, files and the machine itself are not counted. Over the limit: 429 with Retry-After and
 * a short page that costs nothing to make. No limit given: off.
 */
export function installRenderLimit(
  app: FastifyInstance,
  limit: { renders: number; windowMs: number } | undefined,
): RenderBuckets | undefined {
  if (!limit || limit.renders <= 0) return undefined;
  const buckets = new RenderBuckets(limit.renders, limit.windowMs);
  app.addHook('onRequest', async (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || exempt(request)) return;
    if (await isStaff(request)) return;
    const wait = buckets.take(request.ip);
    if (wait > 0) return refuse(reply, wait);
  });
  return buckets;
}

/**
 * Requests one connection may have with the application at once (answers not yet written).
 * HTTP/1.1 answers go back in order, so a client pipelining hundreds of requests without reading
 * would have them all rendered and held; past this, the connection is told to stop.
 */
export const MAX_QUEUED_PER_CONNECTION = 16;

/** Requests with the application, by connection; a connection over the bound is marked refused (-1). */
const queued = new WeakMap<Socket, number>();

const SLOW_DOWN = Buffer.from('Too many requests on one connection: read the answers before sending more.\n');

/** 429 and the end of the connection, without rendering (its earlier answers still go out first). */
function refuseQueued(res: ServerResponse): void {
  res.writeHead(429, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': SLOW_DOWN.length,
    'retry-after': '1',
    'cache-control': 'private, no-store',
    connection: 'close',
  });
  res.end(SLOW_DOWN);
}

/**
 * Counts a request going on to the application against its connection; false, with the request
 * answered 429, when the connection already has MAX_QUEUED_PER_CONNECTION waiting (every
 * request it sent after is refused too, and the connection ends after those answers).
 */
export function admitQueued(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket;
  const n = queued.get(socket) ?? 0;
  if (n < 0 || n >= MAX_QUEUED_PER_CONNECTION) {
    queued.set(socket, -1);
    refuseQueued(res);
    return false;
  }
  queued.set(socket, n + 1);
  res.once('close', () => {
    const left = queued.get(socket) ?? 0;
    if (left > 0) queued.set(socket, left - 1);
  });
  return true;
}
