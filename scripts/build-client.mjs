// Bundles and minifies (each client/*.ts is an entry; client/lib/ holds shared modules) the reader and newsroom client modules and the stylesheet into dist/client.
// What an entry loads with `import()` becomes a chunk of its own, `chunk-<content hash>.js`: its name
// already changes with its content, so the server serves it under that name (src/web/assets.ts).
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'client');
mkdirSync(out, { recursive: true });

const entries = readdirSync(join(root, 'client'))
  .filter((f) => /^[a-z-]+\.ts$/.test(f))
  .map((f) => join(root, 'client', f));

// Chunks of earlier builds would otherwise stay in the folder (and be served and compressed at every start).
for (const f of readdirSync(out)) if (f.startsWith('chunk-')) rmSync(join(out, f));
// One build per entry: an entry never waits for a chunk shared with another page's entry, and
// only its `import()`s make chunks.
for (const entry of entries) {
  await build({
    entryPoints: [entry],
    outdir: out,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    minify: true,
    format: 'esm',
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}
await build({
  entryPoints: [join(root, 'client', 'site.css')],
  outfile: join(out, 'site.css'),
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
// The newsroom's stylesheet (loaded after site.css on /admin pages only).
await build({
  entryPoints: [join(root, 'client', 'admin.css')],
  outfile: join(out, 'admin.css'),
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
copyFileSync(join(root, 'client', 'favicon.svg'), join(out, 'favicon.svg'));
