import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The project root, from src/web or dist/web alike. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const builtDir = join(projectRoot, 'dist', 'client');

interface Asset {
  name: string;
  hashedName: string;
  type: string;
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A chunk an entry loads with import() (scripts/build-client.mjs): its name already carries its content hash, and its entry asks for it by that name. */
const CHUNK = /^chunk-[A-Z0-9]{8}\.js$/;

let assets: Map<string, Asset> | undefined;

function load(): Map<string, Asset> {
  const map = new Map<string, Asset>();
  if (!existsSync(builtDir)) {
    throw new Error(`Client assets are not built (${builtDir} is missing): run "npm run build"`);
  }
  for (const name of readdirSync(builtDir)) {
    const ext = name.slice(name.lastIndexOf('.'));
    if (!TYPES[ext]) continue;
    const body = readFileSync(join(builtDir, name));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const hashedName = CHUNK.test(name) ? name : `${name.slice(0, -ext.length)}.${hash}${ext}`;
    map.set(name, {
      name,
      hashedName,
      type: TYPES[ext],
      body,
      br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(body, { level: 9 }),
    });
  }
  return map;
}

export function allAssets(): Map<string, Asset> {
  assets ??= load();
  return assets;
}

/** The cache-busting URL of a built client file, e.g. assetUrl('site.css') → /assets/site.1a2b3c4d5e.css */
export function assetUrl(name: string): string {
  const asset = allAssets().get(name);
  if (!asset) throw new Error(`Unknown asset ${name}`);
  return `/assets/${asset.hashedName}`;
}

export function findAsset(hashedName: string): Asset | undefined {
  for (const asset of allAssets().values()) if (asset.hashedName === hashedName) return asset;
  return undefined;
}
