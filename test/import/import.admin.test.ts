import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importJobHandler } from '../../src/import/import.job.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const FIXTURES = fileURLToPath(new URL('../fixtures/import/ghost/', import.meta.url));

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; data: Buffer };
}

function multipart(parts: Part[]) {
  const boundary = `----import${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if (p.file) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.file.filename}"\r\nContent-Type: ${p.file.type}\r\n\r\n`,
        ),
        p.file.data,
        Buffer.from('\r\n'),
      );
    } else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value ?? ''}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DIALECTS)('the newsroom import on %s', (dialect) => {
  let h: TestApp;
  let admin: StaffSession;
  let editor: StaffSession;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    admin = await loginAs(h.app, h.t.db, 'admin');
    editor = await loginAs(h.app, h.t.db, 'editor');
  });
  afterAll(() => h.close());

  const upload = (s: StaffSession, file: string, extra: Part[] = [], csrf = s.csrf) => {
    const body = multipart([
      { name: '_csrf', value: csrf },
      { name: 'source', value: 'ghost' },
      { name: 'pages', value: 'section' },
      ...extra,
      { name: 'export', file: { filename: file, type: 'application/json', data: readFileSync(`${FIXTURES}${file}`) } },
    ]);
    return h.app.inject({
      method: 'POST',
      url: '/admin/import',
      headers: { cookie: s.cookie, accept: 'text/html', 'content-type': body.contentType },
      payload: body.payload,
    });
  };

  it('is for administrators only, and listed in their navigation', async () => {
    expect((await h.app.inject({ url: '/admin/import' })).statusCode).toBe(303);
    expect((await h.app.inject({ url: '/admin/import', headers: { cookie: editor.cookie } })).statusCode).toBe(403);
    expect((await upload(editor, 'harbour-v5.json')).statusCode).toBe(403);
    const page = await h.app.inject({ url: '/admin/import', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/admin/import"');
    expect(page.body).toContain('enctype="multipart/form-data"');
  });

  it('refuses an upload without the form token, and a bad export with a clear message, keeping what was chosen', async () => {
    expect((await upload(admin, 'harbour-v5.json', [], 'wrong')).statusCode).toBe(403);
    const bad = await upload(admin, 'old-v3.json', [{ name: 'sectionMap', value: 'ferries=Travel' }]);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('old-v3.json: db[0].meta.version: Ghost 3.42.0 exports are not supported');
    expect(bad.body).not.toContain('/imports/');
    expect(bad.body).toContain('value="ferries=Travel"');
    expect(await h.t.db.selectFrom('import_runs').selectAll().execute()).toEqual([]);
  });

  it('previews, then runs as a job with progress and a report', async () => {
    const body = multipart([
      { name: '_csrf', value: admin.csrf },
      { name: 'source', value: 'ghost' },
      { name: 'pages', value: 'skip' },
      { name: 'export', file: { filename: 'harbour-v5.json', type: 'application/json', data: readFileSync(`${FIXTURES}harbour-v5.json`) } },
      { name: 'media', file: { filename: 'media.zip', type: 'application/zip', data: readFileSync(`${FIXTURES}media.zip`) } },
    ]);
    const posted = await h.app.inject({
      method: 'POST',
      url: '/admin/import',
      headers: { cookie: admin.cookie, accept: 'text/html', 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(posted.statusCode).toBe(303);
    const url = posted.headers.location as string;
    expect(url).toMatch(/^\/admin\/import\/\d+$/);
    const preview = await h.app.inject({ url, headers: { cookie: admin.cookie } });
    expect(preview.body).toContain('What the import will do');
    expect(preview.body).toContain('gone.jpg');
    expect(preview.body).toContain('pages are skipped');
    expect(await h.t.db.selectFrom('articles').select('id').execute()).toEqual([]);

    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.body)?.[1] ?? '';
    const start = await h.app.inject({
      method: 'POST',
      url: `${url}/start`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(start.statusCode).toBe(303);
    // Pressing twice queues one job.
    await h.app.inject({
      method: 'POST',
      url: `${url}/start`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    const jobs = await h.t.db.selectFrom('jobs').selectAll().where('type', '=', 'import.run').execute();
    expect(jobs).toHaveLength(1);
    const queued = await h.app.inject({ url, headers: { cookie: admin.cookie } });
    expect(queued.headers.refresh).toBe('3');
    expect(queued.body).toContain('<progress');

    await importJobHandler({ db: h.t.db, dataDir: h.t.dataDir })(JSON.parse(jobs[0].payload));
    const done = await h.app.inject({ url, headers: { cookie: admin.cookie } });
    expect(done.body).toContain('Finished');
    expect(done.body).toContain('Report');
    expect(done.body).toMatch(/<progress max="4" value="4">/);
    expect(done.headers.refresh).toBeUndefined();
    expect((await h.app.inject({ url: '/ferries/night-ferry-returns' })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/pages/about' })).statusCode).toBe(404);
  });
});
