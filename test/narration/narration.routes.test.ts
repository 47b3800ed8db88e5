import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mp3Info } from '../../src/narration/mp3.frames.js';
import { audioDir } from '../../src/narration/narration.files.js';
import { createNarrator, type Narrator } from '../../src/narration/narration.setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

describe.each(DIALECTS)('narration over HTTP on %s', (dialect) => {
  let h: TestApp;
  let narrator: Narrator;
  let id: number;
  let slug: string;
  let file: string;
  let durationMs: number;

  beforeAll(async () => {
    h = await createTestApp(dialect);
    narrator = createNarrator({ db: h.t.db, dataDir: h.t.dataDir });
    const a = await makeArticle(h.t.db, { headline: 'Harbor <Bridge> & "Tunnel" vote', body: 'The vote was 7-2.\n\nIt opens in 2027.' });
    id = a.id;
    slug = a.slug;
    const outcome = await narrator.narrate(id);
    file = outcome.file!;
    durationMs = outcome.durationMs!;
  });
  afterAll(async () => {
    narrator.close();
    await h.close();
  });

  it('serves the MP3 with ranges and immutable caching', async () => {
    const full = await h.app.inject(`/audio/${file}`);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('audio/mpeg');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(String(full.headers['cache-control'])).toContain('immutable');
    expect(full.rawPayload.equals(readFileSync(join(audioDir(h.t.dataDir), file)))).toBe(true);
    const part = await h.app.inject({ url: `/audio/${file}`, headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${full.rawPayload.length}`);
    expect(part.rawPayload.equals(full.rawPayload.subarray(100, 200))).toBe(true);
    const tail = await h.app.inject({ url: `/audio/${file}`, headers: { range: 'bytes=-50' } });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.length).toBe(50);
    const bad = await h.app.inject({ url: `/audio/${file}`, headers: { range: `bytes=${full.rawPayload.length + 10}-` } });
    expect(bad.statusCode).toBe(416);
  });

  it('answers 404 for names that are not narration files', async () => {
    for (const name of ['nope.mp3', '..%2Fgazette.db', `${id}-0123456789abcdef.mp3`, `${file}.tmp`]) {
      expect((await h.app.inject(`/audio/${name}`)).statusCode).toBe(404);
    }
  });

  it('shows the player with the real duration on the article page', async () => {
    const res = await h.app.inject(`/politics/${slug}`);
    expect(res.statusCode).toBe(200);
    const s = Math.floor(durationMs / 1000);
    const shown = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} min`;
    expect(res.body).toContain(`Listen to this article <span class="listen-duration">${shown}</span>`);
    expect(res.body).toMatch(new RegExp(`<audio class="listen-native" controls preload="none" src="/audio/${file}"`));
    expect(res.body).toContain('data-player-timings');
    expect(res.body).toMatch(/<a class="listen-podcast" href="\/podcast\.xml" type="application\/rss\+xml">\s*Podcast feed\s*<\/a>/);
    expect(res.body).toMatch(/\/assets\/player\.[0-9a-f]{10}\.js/);
    // Text from the article never breaks out of the JSON data block or the attributes.
    expect(res.body).not.toContain('<Bridge>');
    expect(mp3Info(readFileSync(join(audioDir(h.t.dataDir), file))).durationMs).toBe(durationMs);
  });

  it('shows no player until a narration is ready', async () => {
    const other = await makeArticle(h.t.db, { headline: 'Not narrated yet' });
    const res = await h.app.inject(`/politics/${other.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Listen to this article');
    expect(res.body).not.toMatch(/player\.[0-9a-f]{10}\.js/);
  });

  it('publishes podcast feeds with enclosures and durations', async () => {
    const res = await h.app.inject('/podcast.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/rss+xml');
    const bytes = readFileSync(join(audioDir(h.t.dataDir), file)).length;
    expect(res.body).toContain('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"');
    expect(res.body).toContain(`<enclosure url="http://localhost:80/audio/${file}" length="${bytes}" type="audio/mpeg"/>`);
    expect(res.body).toContain(`<itunes:duration>${Math.floor(durationMs / 1000)}</itunes:duration>`);
    expect(res.body).toContain('<title>Harbor &lt;Bridge&gt; &amp; &quot;Tunnel&quot; vote</title>');
    const section = await h.app.inject('/politics/podcast.xml');
    expect(section.statusCode).toBe(200);
    expect(section.body).toContain(file);
    expect((await h.app.inject('/no-such-section/podcast.xml')).statusCode).toBe(404);
  });

  it('lets editors ask for a new narration and shows the status; writers only see it', async () => {
    const editor = await loginAs(h.app, h.t.db, 'editor');
    const page = await h.app.inject({ url: `/admin/articles/${id}/narration`, headers: { cookie: editor.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-narration-status="ready"');
    const again = await h.app.inject({
      method: 'POST',
      url: `/admin/articles/${id}/narration`,
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(editor.csrf)}`,
    });
    expect(again.statusCode).toBe(303);
    const job = await h.t.db
      .selectFrom('jobs')
      .select(['payload', 'status'])
      .where('dedupe_key', '=', `narration:${id}`)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toEqual({ articleId: id, force: true });

    const noCsrf = await h.app.inject({ method: 'POST', url: `/admin/articles/${id}/narration`, headers: { cookie: editor.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const writer = await loginAs(h.app, h.t.db, 'writer');
    // A writer sees the narration of their own articles only; another's answers as a missing one.
    const hidden = await h.app.inject({
      url: `/admin/articles/${id}/narration`,
      headers: { cookie: writer.cookie, accept: 'application/json' },
    });
    expect(hidden.statusCode).toBe(404);
    await h.t.db.updateTable('articles').set({ created_by: writer.userId }).where('id', '=', id).execute();
    const status = await h.app.inject({
      url: `/admin/articles/${id}/narration`,
      headers: { cookie: writer.cookie, accept: 'application/json' },
    });
    expect(status.json().narration.status).toBe('queued');
    const refused = await h.app.inject({
      method: 'POST',
      url: `/admin/articles/${id}/narration`,
      headers: { cookie: writer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(writer.csrf)}`,
    });
    expect(refused.statusCode).toBe(403);
    expect((await h.app.inject(`/admin/articles/${id}/narration`)).statusCode).toBe(303);
  });

  it('lets only admins change the narration settings, and validates them', async () => {
    const admin = await loginAs(h.app, h.t.db, 'admin');
    const form = (body: string) =>
      h.app.inject({
        method: 'POST',
        url: '/admin/narration',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(admin.csrf)}&${body}`,
      });
    expect((await h.app.inject({ url: '/admin/narration', headers: { cookie: admin.cookie } })).body).toContain('flite — slt');
    const bad = await form('enabled=on&voice=flite%2Fnope&rate=1');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('has no voice');
    expect((await form('enabled=on&voice=flite%2Fkal16&rate=1.2')).statusCode).toBe(303);
    const settings = await h.t.db.selectFrom('settings').selectAll().where('key', 'like', 'narration%').execute();
    expect(Object.fromEntries(settings.map((s) => [s.key, JSON.parse(s.value)]))).toMatchObject({
      narrationVoice: 'kal16',
      narrationRate: 1.2,
    });
    const editor = await loginAs(h.app, h.t.db, 'editor');
    expect((await h.app.inject({ url: '/admin/narration', headers: { cookie: editor.cookie } })).statusCode).toBe(403);
  });
});
