// Bundles and minifies (each client/*.ts is an entry; client/lib/ holds shared modules) the reader and newsroom client modules and the stylesheet into dist/client.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'client');
mkdirSync(out, { recursive: true });

const entries = readdirSync(join(root, 'client'))
  .filter((f) => /^[a-z-]+\.ts$/.test(f))
  .map((f) => join(root, 'client', f));

await build({
  entryPoints: entries,
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
});
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
