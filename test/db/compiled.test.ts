import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompiled, slot, slots } from '../../src/db/compiled.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';

describe.each(DIALECTS)('queries compiled once (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db
      .insertInto('sections')
      .values(
        ['alpha', 'beta', 'gamma'].map((slug, i) => ({
          slug,
          name: slug.toUpperCase(),
          description: '',
          position: 1000 + i,
          created_at: '2026-12-07T00:00:00.000Z',
        })),
      )
      .execute();
  });
  afterAll(() => t.destroy());

  const bySlug = (slug: string) =>
    runCompiled(t.db, 'test.section', (d) => d.selectFrom('sections').select(['slug', 'name']).where('slug', '=', slot<string>(0)), [slug]);

  it('runs the same shape with each call’s values, constants kept', async () => {
    expect(await bySlug('alpha')).toEqual([{ slug: 'alpha', name: 'ALPHA' }]);
    expect(await bySlug('gamma')).toEqual([{ slug: 'gamma', name: 'GAMMA' }]);
    expect(await bySlug('nope')).toEqual([]);
    const upTo = (position: number) =>
      runCompiled(
        t.db,
        'test.before',
        (d) =>
          d
            .selectFrom('sections')
            .select('slug')
            .where('position', '>=', 1000)
            .where('position', '<', slot<number>(0))
            .where('slug', '<>', 'beta')
            .orderBy('position')
            .limit(slot<number>(1)),
        [position, 5],
      );
    expect((await upTo(1003)).map((r) => r.slug)).toEqual(['alpha', 'gamma']);
    expect((await upTo(1001)).map((r) => r.slug)).toEqual(['alpha']);
  });

  it('takes lists of a given length as shapes of their own', async () => {
    const some = (slugs: string[]) =>
      runCompiled(
        t.db,
        `test.some:${slugs.length}`,
        (d) => d.selectFrom('sections').select('slug').where('slug', 'in', slots<string>(slugs.length)).orderBy('slug'),
        slugs,
      );
    expect((await some(['gamma', 'alpha'])).map((r) => r.slug)).toEqual(['alpha', 'gamma']);
    expect((await some(['beta'])).map((r) => r.slug)).toEqual(['beta']);
    expect((await some(['beta', 'x'])).map((r) => r.slug)).toEqual(['beta']);
  });

  it('refuses a shape whose value would not be passed as a parameter', async () => {
    await expect(runCompiled(t.db, 'test.unused', (d) => d.selectFrom('sections').select('slug'), ['alpha'])).rejects.toThrow(
      /not a parameter/,
    );
  });
});
