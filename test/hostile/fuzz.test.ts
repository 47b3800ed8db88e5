import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeToken } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const deepArray = '['.repeat(20_000) + ']'.repeat(20_000);
const deepObject = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
const manyKeys = JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));

/** Bad bodies: raw bytes and the content type they claim to be. */
const BODIES: { name: string; type: string; body: string | Buffer }[] = [
  { name: 'empty', type: 'application/json', body: '' },
  { name: 'null', type: 'application/json', body: 'null' },
  { name: 'array', type: 'application/json', body: '[]' },
  { name: 'string', type: 'application/json', body: '"text"' },
  { name: 'number', type: 'application/json', body: '123' },
  { name: 'truncated', type: 'application/json', body: '{"name":' },
  { name: 'deep array', type: 'application/json', body: deepArray },
  { name: 'deep object', type: 'application/json', body: deepObject },
  { name: 'many keys', type: 'application/json', body: manyKeys },
  { name: 'huge string', type: 'application/json', body: JSON.stringify({ name: 'x'.repeat(2_000_000) }) },
  {
    name: 'long fields',
    type: 'application/json',
    body: JSON.stringify({
      name: 'n'.repeat(100_000),
      email: `${'e'.repeat(100_000)}@x.org`,
      body: 'b'.repeat(500_000),
      headline: 'h'.repeat(200_000),
    }),
  },
  {
    name: 'invalid utf-8',
    type: 'application/json',
    body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
  },
  {
    name: 'null bytes',
    type: 'application/json',
    body: JSON.stringify({
      name: 'a\u0000b',
      email: 'x\u0000@example.com',
      body: '\u0000\u0000',
      headline: '\u0000',
      section: '\u0000',
      reason: '\u0000',
    }),
  },
  {
    name: 'lone surrogates',
    type: 'application/json',
    body: '{"name":"\\ud800","email":"\\udfff@x.org","body":"\\ud83d","headline":"\\udc00"}',
  },
  {
    name: 'wrong types',
    type: 'application/json',
    body: JSON.stringify({
      name: 1,
      email: [],
      body: {},
      parent: 'x',
      headline: 123,
      section: null,
      authors: 'x',
      tags: [1, {}],
      published: 'not a date',
      status: 'bogus',
      comments: 7,
      reason: [],
    }),
  },
  { name: 'huge numbers', type: 'application/json', body: '{"parent":1e309,"page":-1,"id":99999999999999999999999}' },
  {
    name: 'prototype keys',
    type: 'application/json',
    body: '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}},"name":"p","email":"p@x.org","body":"b"}',
  },
  { name: 'json as utf-16', type: 'application/json; charset=utf-16', body: Buffer.from('{"name":"x"}', 'utf16le') },
  { name: 'form fields twice', type: 'application/x-www-form-urlencoded', body: 'name=a&name=b&email[]=x&body[a]=1&%ff=%ff' },
  { name: 'plain text', type: 'text/plain', body: 'hello' },
  {
    name: 'broken multipart',
    type: 'multipart/form-data; boundary=xyz',
    body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n',
  },
  { name: 'unknown type', type: 'application/x-nonsense', body: '\u0000\u0001' },
];

const QUERIES = [
  '?page=-1',
  '?page=0',
  '?page=1e309',
  '?page=abc',
  '?page[]=1&page[]=2',
  '?limit=999999999',
  '?limit=-5',
  `?q=${'x'.repeat(10_000)}`,
  '?q=%00%ff%fe',
  '?q=%E0%A4%A',
  '?cursor=%ff%00garbage',
  '?status=bogus',
  '?status[]=pending',
  '?section=%00&tag=%ff&author=',
  '?sort=;drop%20table%20articles',
  `?${'a=1&'.repeat(2_000)}`,
];

const IDS = ['-1', '0', '1e3', '99999999999999999999999', '%00', 'abc', '%ff', '1%20OR%201=1', '..%2F..%2Fetc%2Fpasswd'];

async function withDeadline<T>(what: string, p: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(DIALECTS)('hostile input on every /api/v1 route on %s', (dialect) => {
  let h: TestApp;
  let articleId: number;
  let admin: string;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    articleId = (await makeArticle(h.t.db)).id;
    admin = await makeToken(h.t.db, 'admin');
  });
  afterAll(() => h.close());

  const apiRoutes = () => h.app.knownRoutes.filter((r) => r.url.startsWith('/api/v1') && r.method !== 'HEAD' && r.method !== 'OPTIONS');

  it('never answers 500 and never hangs', async () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(5);
    const failures: string[] = [];
    let sent = 0;
    const send = async (label: string, opts: InjectOptions) => {
      sent++;
      try {
        const res = await withDeadline(label, h.app.inject(opts));
        if (res.statusCode >= 500) failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        else if (res.statusCode >= 400 && /at \S+ \(|node_modules|\.ts:\d+/.test(res.body)) failures.push(`${label}: leaks a stack trace`);
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message}`);
      }
    };
    for (const route of routes) {
      const url = route.url.replace(':id', String(articleId));
      for (const auth of [undefined, `Bearer ${admin}`]) {
        const headers: Record<string, string> = auth ? { authorization: auth } : {};
        const who = auth ? 'admin' : 'anonymous';
        if (route.method !== 'GET') {
          for (const b of BODIES) {
            await send(`${route.method} ${route.url} ${b.name} as ${who}`, {
              method: route.method as 'POST',
              url,
              headers: { ...headers, 'content-type': b.type },
              payload: b.body,
            });
          }
        }
        for (const q of QUERIES)
          await send(`${route.method} ${route.url}${q.slice(0, 40)} as ${who}`, { method: route.method as 'GET', url: url + q, headers });
        if (route.url.includes(':id')) {
          for (const id of IDS)
            await send(`${route.method} ${route.url} id=${id} as ${who}`, {
              method: route.method as 'GET',
              url: route.url.replace(':id', id),
              headers,
            });
        }
      }
      for (const auth of [`Bearer ${'x'.repeat(10_000)}`, 'Basic YWRtaW46YWRtaW4=', 'Bearer', 'bearer a b c', `Bearer ${admin}\u0001`]) {
        await send(`${route.method} ${route.url} with Authorization ${auth.slice(0, 16)}…`, {
          method: route.method as 'GET',
          url,
          headers: { authorization: auth, accept: '*/*;q=nonsense', 'accept-encoding': 'zz, br;q=2' },
        });
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  });

  it('still serves normally afterwards', async () => {
    const res = await h.app.inject(`/api/v1/articles/${articleId}`);
    expect(res.statusCode).toBe(200);
  });
});
