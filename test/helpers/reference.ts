import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { type PublishResult, publishFile } from '../../src/publish/publish.service.js';
import { writeImage } from './images.js';

export const REFERENCE_FIXTURE = fileURLToPath(new URL('../fixtures/reference-article.md', import.meta.url));
export const REFERENCE = {
  headline: 'Miami Meeting with Sanctioned Russian Envoy Deepens U.S. Concerns',
  standfirstStart: 'A reported October meeting in Miami where representatives linked to the Trump administration',
  bodyStart: 'In October, a private meeting in Miami brought together figures tied to the former president',
  bodyEnd: 'whose cohesion remains central to managing the long term repercussions of the war.',
  slug: 'miami-meeting-with-sanctioned-russian-envoy-deepens-u-s-concerns',
  url: '/politics/miami-meeting-with-sanctioned-russian-envoy-deepens-u-s-concerns',
};

/** A copy of the reference article in a temp folder, with its hero image (a 1600×900 JPEG carrying EXIF) beside it. */
export async function referenceArticleFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-ref-'));
  const file = join(dir, 'reference-article.md');
  copyFileSync(REFERENCE_FIXTURE, file);
  await writeImage(join(dir, 'reference-hero.jpg'), { width: 1600, height: 900, exif: true });
  return file;
}

/** Publishes the reference article as `gazette publish` would. */
export async function publishReference(db: Kysely<Database>, mediaRoot: string): Promise<PublishResult> {
  return publishFile(db, { file: await referenceArticleFile(), mediaRoot });
}
