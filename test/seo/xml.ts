import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/web/assets.js';

/** The public sitemap schemas, kept with the tests (see test/fixtures/xsd/README.md). */
export const XSD_DIR = join(projectRoot, 'test', 'fixtures', 'xsd');

/** Runs xmllint on a document given as text; returns its exit status and messages. */
export function xmllint(xml: string, schema?: string): { ok: boolean; output: string } {
  const args = ['--noout', '--nonet', ...(schema ? ['--schema', join(XSD_DIR, schema)] : []), '-'];
  const r = spawnSync('xmllint', args, { input: xml, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
