import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { freePort, spawnServer } from '../hostile/hostile.helpers.js';

describe('gazette serve on a port already taken', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(() => t.destroy());

  it('ends with a clear reason and status 1 instead of running on without a socket', async () => {
    const port = await freePort();
    const other = createServer().listen(port, '127.0.0.1');
    await once(other, 'listening');
    try {
      const child = spawnServer(t, port, {}, ['ignore', 'ignore', 'pipe']);
      let stderr = '';
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code] = await once(child, 'exit');
      clearTimeout(killer);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: the address is already in use`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      other.close();
    }
  }, 40_000);
});
