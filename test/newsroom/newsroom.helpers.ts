import type { FastifyInstance } from 'fastify';
import type { StaffSession } from '../helpers/auth.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Posts a newsroom form as this staff member (their cookie and CSRF token). */
export function postForm(
  app: FastifyInstance,
  s: StaffSession | null,
  url: string,
  fields: Record<string, string> = {},
  accept = 'text/html',
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...FORM, accept, ...(s ? { cookie: s.cookie } : {}) },
    payload: new URLSearchParams({ ...(s ? { _csrf: s.csrf } : {}), ...fields }).toString(),
  });
}

export function getPage(app: FastifyInstance, s: StaffSession | null, url: string) {
  return app.inject({ url, headers: { accept: 'text/html', ...(s ? { cookie: s.cookie } : {}) } });
}

/** The id in a redirect to /admin/articles/{id}/edit. */
export function idFromLocation(location: unknown): number {
  const m = /\/admin\/articles\/(\d+)\/edit/.exec(String(location));
  if (!m) throw new Error(`not an editor redirect: ${String(location)}`);
  return Number(m[1]);
}

/** The editor form's fields for a new article. */
export function articleForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    headline: 'Harbor ferry fares to rise',
    standfirst: 'The port authority approved the first increase in six years.',
    slug: '',
    authors: 'Ana Ruiz',
    tags: 'Transport, Harbor',
    body: 'Ferry fares will rise by 25 cents in January.\n\nThe board voted 5-2.',
    comments: 'open',
    ...overrides,
  };
}

/** A multipart/form-data body with text fields and at most one file. */
export function multipart(fields: Record<string, string>, file?: { field?: string; name: string; type: string; data: Buffer }) {
  const boundary = `----gazette${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function postUpload(
  app: FastifyInstance,
  s: StaffSession,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
  accept = 'text/html',
) {
  const body = multipart({ _csrf: s.csrf, ...fields }, file);
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, accept, 'content-type': body.contentType },
    payload: body.payload,
  });
}
