import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { element, tags, text } from '../helpers/html.js';
import { writeImage } from '../helpers/images.js';
import { REFERENCE, referenceArticleFile } from '../helpers/reference.js';

// Each test starts `gazette` as a process (TypeScript compiled on the fly): slow on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TABLES = ['articles', 'sections', 'people', 'tags', 'media', 'article_authors', 'article_tags', 'events'] as const;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Standard error without Node's own notices (e.g. an ExperimentalWarning from a dependency). */
const withoutNodeWarnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l && !/^\(node:\d+\) \w*Warning|--trace-warnings/.test(l))
    .join('\n');

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

describe.each(DIALECTS)('gazette publish (a real process) on %s', (dialect) => {
  let h: TestApp;
  let dir: string;

  /** Runs `gazette publish FILES…` against the test database. */
  function publish(...files: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = { ...process.env, GAZETTE_DATA: h.t.dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    if (h.t.databaseUrl) env.DATABASE_URL = h.t.databaseUrl;
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/main.ts', 'publish', ...files], { cwd: ROOT, env }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const row = await h.t.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    return out;
  }

  function file(name: string, front: string, body = 'A body paragraph with a few words in it.'): string {
    const path = join(dir, name);
    writeFileSync(path, `---\n${front}\n---\n${body}\n`);
    return path;
  }

  const lines = (out: string) =>
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  beforeAll(async () => {
    h = await createTestApp(dialect);
    dir = mkdtempSync(join(tmpdir(), 'gazette-publish-'));
  });
  afterAll(() => h.close());

  it('publishes a good file and prints one JSON line', async () => {
    const run = await publish(await referenceArticleFile());
    expect(withoutNodeWarnings(run.stderr)).toBe('');
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out).toHaveLength(1);
    expect(Object.keys(out[0])).toEqual(['id', 'url', 'status']);
    expect(out[0]).toEqual({ id: expect.any(Number), url: REFERENCE.url, status: 'published' });
    const page = await h.app.inject(REFERENCE.url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/author/james-thompson"');
    // The section and the author were created from their names.
    expect(await h.t.db.selectFrom('sections').select(['slug', 'name']).execute()).toEqual([{ slug: 'politics', name: 'Politics' }]);
    expect((await h.app.inject('/author/james-thompson')).statusCode).toBe(200);
    // The hero variants carry none of the original's EXIF metadata.
    const media = listFiles(h.app.gazette.mediaRoot).filter((f) => /\.(jpg|webp|avif)$/.test(f));
    expect(media).toHaveLength(12);
    for (const f of media) expect((await sharp(join(h.app.gazette.mediaRoot, f)).metadata()).exif, f).toBeUndefined();
    // Publishing from the command line queues the article's narration, as publishing in the newsroom does.
    const jobs = await h.t.db.selectFrom('jobs').select(['type', 'dedupe_key']).execute();
    expect(jobs).toContainEqual({ type: 'narration.generate', dedupe_key: `narration:${out[0].id}` });
  });

  it('publishes several files, one line each', async () => {
    const a = file('a.md', 'headline: First Of Two\nsection: Science\nauthors: [Zoë Müller]\ntags: [Space]');
    const b = file('b.md', 'headline: Second Of Two\nsection: Science\nauthors: [Zoë Müller, Ana Ruiz]\nslug: second-story');
    const run = await publish(a, b);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((l) => [l.url, l.status])).toEqual([
      ['/science/first-of-two', 'published'],
      ['/science/second-story', 'published'],
    ]);
    const author = await h.app.inject('/author/zoe-mueller');
    expect(author.statusCode).toBe(200);
    expect(author.body).toContain('<h1>Zoë Müller</h1>');
  });

  it('re-publishing the same slug updates the article: no duplicate, "Updated" shown', async () => {
    const first = file('update.md', 'headline: Story That Changes\nsection: Politics\nauthors: [Ana Ruiz]', 'The first version.');
    const [created] = lines((await publish(first)).stdout);
    const before = await counts();
    const firstPage = await h.app.inject(created.url);
    expect(firstPage.body).not.toContain('Updated');
    const publishedAt = tags(element(firstPage.body, 'p', 'class="dates"'), 'time')[0].datetime;
    await new Promise((r) => setTimeout(r, 20));
    file('update.md', 'headline: Story That Changes\nsection: Politics\nauthors: [Ana Ruiz]', 'The second, corrected version.');
    const run = await publish(first);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([{ id: created.id, url: created.url, status: 'published' }]);
    const after = await counts();
    expect(after.articles).toBe(before.articles);
    expect(after.article_authors).toBe(before.article_authors);
    const page = await h.app.inject(created.url);
    expect(page.body).toContain('The second, corrected version.');
    const dates = element(page.body, 'p', 'class="dates"');
    expect(text(dates)).toMatch(/Published .+ Updated /);
    const times = tags(dates, 'time').map((t) => t.datetime);
    expect(times[0]).toBe(publishedAt);
    expect(times[1] > times[0]).toBe(true);
    // Both runs are in the article's history, by the command.
    const revisions = await h.t.db
      .selectFrom('article_revisions')
      .select(['actor_name', 'user_id', 'note', 'snapshot'])
      .where('article_id', '=', created.id)
      .orderBy('number')
      .execute();
    expect(revisions.map((r) => [r.actor_name, r.user_id, r.note, JSON.parse(r.snapshot).bodyMd])).toEqual([
      ['gazette publish', null, 'Published', 'The first version.'],
      ['gazette publish', null, 'Updated', 'The second, corrected version.'],
    ]);
  });

  it('a future date schedules the article', async () => {
    const f = file('future.md', 'headline: News From Tomorrow\nsection: Politics\nauthors: [Ana Ruiz]\npublished: 2099-01-01T09:00:00Z');
    const run = await publish(f);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([{ id: expect.any(Number), url: '/politics/news-from-tomorrow', status: 'scheduled' }]);
    expect((await h.app.inject('/politics/news-from-tomorrow')).statusCode).toBe(404);
  });

  describe('refuses bad files: names file and field, exits 1, writes nothing', () => {
    const bad: [string, () => Promise<string>, RegExp][] = [
      ['a missing headline', async () => file('no-headline.md', 'section: Brand New Section\nauthors: [New Person]'), /headline/],
      [
        'an unknown date format',
        async () =>
          file('bad-date.md', 'headline: Dated Badly\nsection: Brand New Section\nauthors: [New Person]\npublished: 20/11/2026 9am'),
        /published: .*unknown date format/,
      ],
      [
        'a missing hero',
        async () =>
          file('no-hero.md', 'headline: Hero Gone\nsection: Brand New Section\nauthors: [New Person]\nhero: ./missing.jpg\nhero_alt: x'),
        /hero: .*not found.*missing\.jpg/,
      ],
      [
        'a hero that is not an image',
        async () => {
          writeFileSync(join(dir, 'fake.jpg'), 'this is text, not a JPEG');
          return file(
            'fake-hero.md',
            'headline: Hero Fake\nsection: Brand New Section\nauthors: [New Person]\nhero: ./fake.jpg\nhero_alt: x',
          );
        },
        /hero: .*fake\.jpg.*not an image/,
      ],
      [
        'a YAML error',
        async () => file('yaml.md', 'headline: YAML Broken\nsection: Brand New Section\nauthors: [New Person]\ntags: a: b'),
        /front matter: YAML error on line 5/,
      ],
      [
        'a section name the site uses for itself',
        async () => file('reserved.md', 'headline: Reserved Section\nsection: Media\nauthors: [New Person]\ntags: [New Tag]'),
        /section: .*Media.*cannot be a section/,
      ],
    ];
    for (const [name, make, message] of bad) {
      it(name, async () => {
        const path = await make();
        const before = await counts();
        const mediaBefore = listFiles(h.app.gazette.mediaRoot);
        const run = await publish(path);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain(path);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
        expect(withoutNodeWarnings(run.stderr).split('\n')).toHaveLength(1);
        expect(await counts()).toEqual(before);
        expect(listFiles(h.app.gazette.mediaRoot)).toEqual(mediaBefore);
      });
    }

    it('a good file next to a bad one is published; the exit code is still 1', async () => {
      await writeImage(join(dir, 'ok.png'), { width: 600, height: 400, format: 'png' });
      const good = file('good.md', 'headline: Good Neighbour\nsection: World\nauthors: [Ana Ruiz]\nhero: ./ok.png\nhero_alt: A picture');
      const badFile = file('bad.md', 'section: World\nauthors: [Ana Ruiz]');
      const run = await publish(badFile, good);
      expect(run.code).toBe(1);
      expect(lines(run.stdout)).toEqual([{ id: expect.any(Number), url: '/world/good-neighbour', status: 'published' }]);
      expect(run.stderr).toContain('bad.md');
      expect(run.stderr).not.toContain('good.md');
    });

    it('no file at all, or a file that does not exist', async () => {
      const none = await publish();
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/at least one Markdown file/);
      const missing = await publish(join(dir, 'nope.md'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/nope\.md: file: cannot read the file/);
    });
  });
});
