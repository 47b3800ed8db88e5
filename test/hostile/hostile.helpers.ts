import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { TestDb } from '../helpers/db.js';

/** An approved comment written straight to the table: the renderer must cope with any text a reader sent. */
export async function insertComment(
  db: Kysely<Database>,
  c: { articleId: number; name: string; body: string; status?: string },
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('comments')
    .values({
      article_id: c.articleId,
      parent_id: null,
      root_id: null,
      depth: 0,
      commenter_id: null,
      name: c.name,
      body: c.body,
      body_hash: `h${Math.random()}`,
      status: c.status ?? 'approved',
      reasons: '[]',
      spam_score: null,
      trained_as: null,
      ip_hash: null,
      source: 'api',
      open_reports: 0,
      reject_reason: null,
      created_at: now,
      moderated_at: now,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('comments').set({ root_id: row.id }).where('id', '=', row.id).execute();
  return row.id;
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Waits for /healthz to answer 200. */
export async function untilHealthy(base: string, ms: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base} did not become healthy within ${ms} ms`);
}

/** `gazette serve` from the sources, as its own process, on the test database `t`. */
export function spawnServer(t: TestDb, port: number, env: Record<string, string> = {}, stdio: StdioOptions = 'ignore'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...process.env,
      GAZETTE_DATA: t.dataDir,
      DATABASE_URL: t.databaseUrl ?? '',
      GAZETTE_SECRET: t.config.secret,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio,
  });
}
