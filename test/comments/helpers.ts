import type { FastifyInstance } from 'fastify';
import { signStamp } from '../../src/comments/comment.token.js';
import { type SiteSettings, saveSettings } from '../../src/settings/settings.service.js';
import { mergeCookies } from '../helpers/auth.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** A reader's browser that loaded the form long enough ago: cookie, CSRF token and an old timing stamp. */
export async function readerTokens(app: FastifyInstance, ageMs = 10_000) {
  const res = await app.inject('/api/v1/form-token');
  const { token } = res.json();
  return {
    cookie: mergeCookies('', res.headers['set-cookie']),
    csrf: token as string,
    stamp: signStamp(app.gazette.config.secret, Date.now() - ageMs),
  };
}

export async function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  opts: { ip?: string; ageMs?: number; tokens?: boolean; accept?: string } = {},
) {
  const t = opts.tokens === false ? { cookie: '', csrf: '', stamp: '' } : await readerTokens(app, opts.ageMs);
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: opts.ip ?? '203.0.113.9',
    headers: { ...FORM, ...(opts.accept ? { accept: opts.accept } : {}), cookie: t.cookie },
    payload: new URLSearchParams({ _csrf: t.csrf, _ts: t.stamp, ...fields }).toString(),
  });
}

export async function postApi(app: FastifyInstance, articleId: number, body: unknown, ip = '198.51.100.7') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/articles/${articleId}/comments`,
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Turns the rate limits off (most tests post many comments from one address). */
export async function relaxLimits(app: FastifyInstance, extra: Partial<SiteSettings> = {}) {
  await saveSettings(app.gazette.db, { commentsRateSeconds: 0, commentsRatePerHour: 0, ...extra });
  app.gazette.invalidateSettings();
}

let n = 0;
export const uniqueEmail = () => `reader${++n}-${Date.now()}@example.org`;
