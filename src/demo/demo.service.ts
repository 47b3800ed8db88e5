import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { parse } from 'yaml';
import { ensurePerson } from '../authors/person.service.js';
import type { Database } from '../db/database.js';
import { processImage } from '../media/image.js';
import { parseArticleFile } from '../publish/frontmatter.js';
import { type PublishResult, publishArticle } from '../publish/publish.service.js';
import { SYSTEM_AUTHORS } from '../revisions/revision.service.js';
import { compactSearchIndex } from '../search/search.index.js';
import { ensureSection } from '../sections/section.service.js';
import { projectRoot } from '../web/assets.js';
import { loadDemoComments } from './comments.js';
import { drawHero } from './hero.js';

const CONTENT = join(projectRoot, 'src', 'demo', 'content');

/**
 * The demo's illustrations are flat drawings: drawn 1200 px wide with three variant widths and
 * the fastest AVIF effort, so a first `npm start` is quick. Each is still offered as AVIF, WebP
 * and JPEG in a responsive srcset.
 */
const DEMO_ART = { width: 1200, widths: [480, 800, 1200], avifEffort: 0 };

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
  return !row;
}

function seedOf(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h);
}

/**
 * Loads the demo newsroom: sections, authors with bios, and the articles in src/demo/content,
 * published at times spread over the past two weeks (one scheduled in the future), with
 * illustrations drawn locally.
 */
export async function loadDemo(db: Kysely<Database>, opts: { mediaRoot: string; now?: Date }): Promise<PublishResult[]> {
  const now = opts.now ?? new Date();
  const sections = parse(await readFile(join(CONTENT, 'sections.yaml'), 'utf8')) as { name: string; description: string }[];
  const authors = parse(await readFile(join(CONTENT, 'authors.yaml'), 'utf8')) as { name: string; bio: string }[];
  await db.transaction().execute(async (trx) => {
    for (const s of sections) await ensureSection(trx, s);
    for (const a of authors) await ensurePerson(trx, a);
  });
  const files = (await readdir(CONTENT)).filter((f) => f.endsWith('.md')).sort();
  const parsed = await Promise.all(
    files.map(async (file) => {
      const { article, extra } = parseArticleFile(await readFile(join(CONTENT, file), 'utf8'));
      article.slug = file.replace(/\.md$/, '');
      article.published = new Date(now.getTime() - Number(extra.demo_hours_ago ?? 24) * 3600_000);
      return { article, extra };
    }),
  );
  // Drawing the next illustration overlaps encoding the current one.
  const draw = (i: number) => {
    const { article, extra } = parsed[i];
    return drawHero(String(extra.hero_motif ?? 'globe'), Number(extra.hero_palette ?? 0), seedOf(article.slug), DEMO_ART.width);
  };
  const results: PublishResult[] = [];
  let next = parsed.length ? draw(0) : undefined;
  for (let i = 0; i < parsed.length; i++) {
    const png = await next!;
    next = i + 1 < parsed.length ? draw(i + 1) : undefined;
    const hero = await processImage(png, opts.mediaRoot, { widths: DEMO_ART.widths, avifEffort: DEMO_ART.avifEffort });
    results.push(await publishArticle(db, { article: parsed[i].article, hero, now, by: SYSTEM_AUTHORS.demo }));
  }
  await loadDemoComments(db, results, now);
  await compactSearchIndex(db);
  return results;
}
