import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withStartLock } from '../../src/ops/instance.lock.js';
import { createTestDb, DIALECTS } from '../helpers/db.js';

describe.each(DIALECTS)('the start lock on %s', (dialect) => {
  it('lets one holder in at a time; the others wait their turn', async () => {
    const t = await createTestDb(dialect);
    try {
      const order: string[] = [];
      const hold = (name: string) =>
        withStartLock(t.config, async () => {
          order.push(`${name} in`);
          await new Promise((r) => setTimeout(r, 150));
          order.push(`${name} out`);
          return name;
        });
      expect(await Promise.all([hold('a'), hold('b'), hold('c')])).toEqual(['a', 'b', 'c']);
      // Never two inside at once: each "in" is followed by its own "out".
      for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace(' in', ' out'));
      // A failure inside releases the lock too.
      await expect(withStartLock(t.config, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await withStartLock(t.config, async () => 'after')).toBe('after');
    } finally {
      await t.destroy();
    }
  });
});

describe('the SQLite lock file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('left by a process that no longer runs is taken over, and removed after use', async () => {
    const file = join(dir, 'start.lock');
    // Process ids stop well below 2^22 on Linux: this one cannot be running.
    writeFileSync(file, `${2 ** 22 + 7}@${hostname()}`);
    expect(await withStartLock({ dataDir: dir }, async () => existsSync(file))).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
