import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/web/assets.js';

/** Text files of the project that code runs or tests read. */
function sources(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, found);
    else if (/\.(ts|tsx|mjs|js|json)$/.test(name)) found.push(path);
  }
  return found;
}

describe('a fresh clone on its own', () => {
  it('reads no file from beside the project folder', () => {
    const outside = /(['"`]\.\.['"`]\s*,\s*['"`](shared|validators)['"`])|\.\.\/(\.\.\/)*shared\//;
    const offenders = ['src', 'test', 'scripts', 'client']
      .flatMap((dir) => sources(join(projectRoot, dir)))
      .filter((file) => !file.endsWith('self-contained.test.ts') && outside.test(readFileSync(file, 'utf8')))
      .map((file) => relative(projectRoot, file));
    expect(offenders).toEqual([]);
  });

  it('installs without engine warnings on every Node version the README promises', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const promised = /Node\.js (\d+) or (\d+)/.exec(readme);
    expect(promised, 'the README names the Node versions it supports').not.toBeNull();
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const refused: string[] = [];
    for (const major of (promised as RegExpExecArray).slice(1)) {
      for (const [path, pkg] of Object.entries(lock.packages)) {
        const range = !Array.isArray(pkg.engines) ? pkg.engines?.node : undefined;
        // Packages for other platforms (sharp's prebuilt binaries) are in the lock but not installed.
        if (!existsSync(join(projectRoot, path))) continue;
        if (range && !semver.satisfies(`${major}.19.0`, range)) refused.push(`${path}@${pkg.version} wants node ${range}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
