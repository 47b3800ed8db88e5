import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { freePort, spawnServer, untilHealthy } from '../hostile/hostile.helpers.js';

describe.each(DIALECTS)('gazette serve on %s stopped while it renders the front pages ahead of readers', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    // Enough pages that the renders after a start are still running when the signal comes.
    for (let i = 0; i < 12; i++) {
      await makeArticle(t.db, { section: ['Politics', 'Business', 'Sport'][i % 3], headline: `Story number ${i}` });
    }
  }, 60_000);
  afterAll(() => t.destroy());

  it('lets the page at hand finish before the database closes: status 0, no failed request', async () => {
    for (let round = 0; round < 3; round++) {
      const port = await freePort();
      const child = spawnServer(t, port, {}, ['ignore', 'pipe', 'pipe']);
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      try {
        await untilHealthy(`http://127.0.0.1:${port}`, 20_000);
        child.kill('SIGTERM');
        const [code] = await once(child, 'exit');
        expect(code).toBe(0);
        expect(output).not.toContain('request failed');
        expect(output).not.toContain('"level":50');
      } finally {
        clearTimeout(killer);
      }
    }
  }, 90_000);
});
