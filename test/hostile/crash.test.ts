import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort, spawnServer, untilHealthy } from './hostile.helpers.js';

const BURST = 500;
const KILL_AFTER = 150;
const IN_FLIGHT = 100;

const startServer = (t: TestDb, port: number): ChildProcess => spawnServer(t, port, { GAZETTE_TRUST_PROXY: 'on' });

describe.each(DIALECTS)('a crash in the middle of a comment burst on %s', (dialect) => {
  let t: TestDb;
  let articleId: number;
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    articleId = (await makeArticle(t.db)).id;
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await t.destroy();
  });

  it(`keeps every acknowledged comment of ${BURST} posts (100 concurrent) after SIGKILL`, { timeout: 180_000 }, async () => {
    const port = await freePort();
    server = startServer(t, port);
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base, 90_000);
    const run = `crash-${dialect}-${Date.now()}`;
    const acked = new Map<number, string>();
    let answered = 0;
    let killed = false;
    const victim = server;
    const post = async (i: number) => {
      const body = `${run} comment ${i}: the council should publish the full budget.`;
      try {
        const res = await fetch(`${base}/api/v1/articles/${articleId}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${i >> 8}.${(i & 255) + 1}` },
          body: JSON.stringify({ name: `Reader ${i}`, email: `reader${i}@${run}.example`, body }),
          signal: AbortSignal.timeout(30_000),
        });
        const json = (await res.json().catch(() => ({}))) as { id?: number };
        answered++;
        if (res.status === 202 && json.id) acked.set(json.id, body);
      } catch {
        // Cut off by the kill: never acknowledged, so it may be lost.
      }
      if (!killed && answered >= KILL_AFTER) {
        killed = true;
        victim.kill('SIGKILL');
      }
    };
    // 500 posts, 100 in flight at any time, so the kill lands while many are still on the wire.
    let next = 0;
    const lanes = Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < BURST; i = next++) await post(i);
    });
    await Promise.all(lanes);
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER / 2);
    expect(answered).toBeLessThan(BURST);

    // Restart on the same data: it must come up and answer.
    server = startServer(t, port);
    await untilHealthy(base, 90_000);
    server.kill('SIGTERM');

    const rows = await t.db.selectFrom('comments').select(['id', 'body']).where('body', 'like', `${run} %`).execute();
    const byId = new Map(rows.map((r) => [r.id, r.body]));
    const missing = [...acked].filter(([id, body]) => byId.get(id) !== body);
    expect(missing).toEqual([]);
    const bodies = rows.map((r) => r.body);
    expect(new Set(bodies).size).toBe(bodies.length);
    if (dialect === 'sqlite') {
      const check = new SQLite(join(t.dataDir, 'gazette.db'), { readonly: true });
      try {
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(check.pragma('foreign_key_check')).toEqual([]);
      } finally {
        check.close();
      }
    }
  });
});
