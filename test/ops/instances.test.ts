import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { connect, type Db } from '../../src/db/connect.js';
import type { DialectName } from '../../src/db/dialect.js';
import { type Served, serve } from '../../src/server.js';
import { DIALECTS, PG_ADMIN_URL, testConfig } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';

const DEMO_ARTICLES = readdirSync(join('src', 'demo', 'content')).filter((f) => f.endsWith('.md')).length;

/** An empty database (no tables): a fresh install, as two instances would find it. */
async function emptyDatabase(dialect: DialectName) {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'gazette-instances-'));
    dirs.push(d);
    return d;
  };
  const shared = dir();
  let url: string | undefined;
  const name = `gazette_test_${randomBytes(6).toString('hex')}`;
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  return {
    /** An instance's configuration: on PostgreSQL each has its own data folder (its own machine); SQLite shares the file. */
    config: (extra: Partial<Config> = {}): Config => ({ ...testConfig(url ? dir() : shared, url), ...extra }),
    async destroy() {
      if (url) {
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

const base = (s: Served) => {
  const address = s.app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe.each(DIALECTS)('instances sharing one %s database', (dialect) => {
  const running: Served[] = [];
  const opened: Db[] = [];
  let db: Awaited<ReturnType<typeof emptyDatabase>> | undefined;
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    for (const c of opened.splice(0)) await c.close();
    await db?.destroy();
    db = undefined;
  });

  it('started together on an empty database: the demo is loaded once, one setup link, both listen', async () => {
    db = await emptyDatabase(dialect);
    const [a, b] = await Promise.all([serve(db.config({ demo: true }), { demo: true }), serve(db.config({ demo: true }), { demo: true })]);
    running.push(a, b);
    for (const s of [a, b]) expect((await fetch(`${base(s)}/healthz`)).status).toBe(200);
    const conn = connect(db.config());
    opened.push(conn);
    const articles = await sql<{ n: number }>`select count(*) as n from articles`.execute(conn.db);
    expect(Number(articles.rows[0].n)).toBe(DEMO_ARTICLES);
    const slugs = await sql<{ n: number }>`select count(distinct slug) as n from articles`.execute(conn.db);
    expect(Number(slugs.rows[0].n)).toBe(DEMO_ARTICLES);
    const links = await sql<{ n: number }>`select count(*) as n from setup_tokens`.execute(conn.db);
    expect(Number(links.rows[0].n)).toBe(1);
    // Each serves the same newsroom.
    for (const s of [a, b]) expect((await fetch(`${base(s)}/`)).status).toBe(200);
  }, 180_000);

  it('a web instance leaves due articles to a worker, which publishes them and serves only /healthz', async () => {
    db = await emptyDatabase(dialect);
    const web = await serve(db.config({ role: 'web' }), { demo: false });
    running.push(web);
    const conn = connect(db.config());
    opened.push(conn);
    const due = await makeArticle(conn.db, { headline: 'Due while only the web runs', published: new Date(Date.now() + 300) });
    const status = async () =>
      (await conn.db.selectFrom('articles').select('status').where('id', '=', due.id).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('scheduled');
    // Well past its time and several scheduler intervals (200 ms in tests): the web instance leaves it.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await status()).toBe('scheduled');
    const worker = await serve(db.config({ role: 'worker' }), { demo: false });
    running.push(worker);
    expect(await until(async () => (await status()) === 'published', 15_000)).toBe(true);
    const health = await fetch(`${base(worker)}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base(worker)}/`)).status).toBe(404);
    expect((await fetch(`${base(web)}/politics/${due.slug}`)).status).toBe(200);
  }, 60_000);

  it('an instance with another GAZETTE_SECRET refuses to start, unless told the secret changed', async () => {
    db = await emptyDatabase(dialect);
    running.push(await serve(db.config({ secret: 'the-first-secret-0123456789' }), { demo: false }));
    await expect(serve(db.config({ secret: 'another-secret-0123456789' }), { demo: false })).rejects.toThrow(
      /GAZETTE_SECRET differs.*GAZETTE_SECRET_CHANGED=yes/,
    );
    const renewed = await serve(db.config({ secret: 'another-secret-0123456789', secretChanged: true }), { demo: false });
    running.push(renewed);
    expect((await fetch(`${base(renewed)}/healthz`)).status).toBe(200);
    // From now on the new secret is the one: the old one is refused.
    await expect(serve(db.config({ secret: 'the-first-secret-0123456789' }), { demo: false })).rejects.toThrow(/GAZETTE_SECRET differs/);
  }, 60_000);
});
