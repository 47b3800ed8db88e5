import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Every import and export-from specifier of the source files in one folder of src/. */
function importsOf(folder: string): { file: string; from: string }[] {
  const dir = join(SRC, folder);
  return readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .flatMap((file) => {
      const code = readFileSync(join(dir, file), 'utf8');
      return [...code.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => ({
        file,
        from: m[1] ?? m[2],
      }));
    });
}

describe('where code lives', () => {
  it('finds the imports it checks', () => {
    expect(importsOf('articles').some((i) => i.from === './correction.service.js')).toBe(true);
  });

  it('the reader side of articles imports nothing from the newsroom', () => {
    const wrong = importsOf('articles').filter((i) => i.from.includes('/newsroom/'));
    expect(wrong).toEqual([]);
  });

  it('the moderation desk writes comment tables only through the comments folder', () => {
    const dir = join(SRC, 'moderation');
    const writes = readdirSync(dir).flatMap((file) => {
      const code = readFileSync(join(dir, file), 'utf8');
      return [...code.matchAll(/\.(?:insertInto|updateTable|deleteFrom)\(\s*'(comments|comment_reports|commenters)'/g)].map(
        (m) => `${file}: ${m[1]}`,
      );
    });
    expect(writes).toEqual([]);
  });
});
