import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type StaffSession } from '../helpers/auth.js';
import { DIALECTS } from '../helpers/db.js';
import { makeImage } from '../helpers/images.js';
import { postForm, postUpload } from '../newsroom/newsroom.helpers.js';

describe.each(DIALECTS)('deleting an image while the same picture is uploaded again, on %s', (dialect) => {
  let h: TestApp;
  let editor: StaffSession;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    editor = await loginAs(h.app, h.t.db, 'editor');
  });
  afterAll(() => h.close());

  const upload = (data: Buffer) =>
    postUpload(h.app, editor, '/admin/media', { alt: 'Quay' }, { name: 'quay.jpg', type: 'image/jpeg', data }, 'application/json');

  it('leaves every library entry with its files, 25 times over', async () => {
    const data = await makeImage({ width: 520, height: 300 });
    const first = await upload(data);
    expect(first.statusCode, first.body).toBe(201);
    let id: number = first.json().id;
    for (let i = 0; i < 25; i++) {
      const remove = () => postForm(h.app, editor, `/admin/media/${id}/delete`);
      // Each order of starting, and the upload a few turns of the event loop later or earlier.
      const later = async <T>(turns: number, f: () => Promise<T>) => {
        for (let t = 0; t < turns; t++) await new Promise((r) => setImmediate(r));
        return f();
      };
      const [deleted, again] =
        i % 2 === 0
          ? await Promise.all([remove(), later(i % 5, () => upload(data))])
          : await Promise.all([later(i % 5, remove), upload(data)]);
      expect([303, 404], deleted.body).toContain(deleted.statusCode);
      expect(again.statusCode, again.body).toBe(201);
      const rows = await h.t.db.selectFrom('media').select(['id', 'variants']).execute();
      for (const row of rows) {
        for (const v of JSON.parse(row.variants) as { path: string }[]) {
          expect(existsSync(join(h.app.gazette.mediaRoot, v.path)), `round ${i}: media ${row.id} ${v.path}`).toBe(true);
        }
      }
      // The next round deletes whatever entry holds the picture now (a new one, or the same one kept).
      const current = rows.at(-1);
      if (!current) {
        const fresh = await upload(data);
        expect(fresh.statusCode).toBe(201);
        id = fresh.json().id;
      } else {
        id = current.id;
      }
    }
  });
});
