#!/usr/bin/env node
// The WordPress import at scale: writes a generated export (WXR 1.2) of N posts with M comments each,
// streaming to disk, then imports it with `gazette import wordpress` into a fresh SQLite data folder
// and prints posts/s, comments/s, the total time, the importing process's peak memory and the time
// 50,000 posts would take at that rate (the default, 5,000 posts × 10 comments, takes a minute or two).
//   node scripts/bench/import.mjs [--posts 5000] [--comments 10] [--out FILE] [--keep] [--generate-only] [--read-only] [--from-source]
// `--read-only` measures the reader alone (dist/import/wordpress/wordpress.reader.js), without writing.
// Needs `npm run build` first (the benchmark runs the built command, as an operator would);
// `--from-source` runs src/main.ts through tsx instead (slower to start; for trying it unbuilt).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/gazette.js');
const READER = join(ROOT, 'dist/import/wordpress/wordpress.reader.js');

const SITE = 'https://bench-harbour.example';
/** Attachment ids start here, clear of the posts' ids. */
const ATTACHMENT = 10_000_000;
const SECTIONS = ['Local', 'Council', 'Business', 'Sport', 'Culture', 'Weather', 'Transport', 'Schools'];
const TAGS = ['ferries', 'budget', 'flooding', 'harbour', 'elections', 'festival', 'roads', 'housing', 'fishing', 'health'];
const AUTHORS = [
  ['avesta', 'Ada Vesta'],
  ['bkarlsen', 'Bo Karlsen'],
  ['cmurphy', 'Cait Murphy'],
  ['dnakamura', 'Dai Nakamura'],
  ['eosei', 'Efua Osei'],
];
const SENTENCES = [
  'The council met on Tuesday to discuss the harbour budget for next year.',
  'Residents of the north quay say the new timetable leaves them stranded after dark.',
  'A spokesperson for the port authority said the work would finish before the spring tides.',
  'Traders at the Saturday market reported their busiest morning since the bridge reopened.',
  'The lifeboat crew was called out twice in one night as the storm reached the coast.',
  'Teachers at Hillside school welcomed the decision but warned that funding remains tight.',
  'Opposition councillors called the plan “rushed” and asked for an independent review.',
  'The ferry operator apologised for the delays and promised compensation for season-ticket holders.',
  'Local historians say the warehouse is the last of its kind on this stretch of the river.',
  'Police closed the coast road for three hours while the fallen tree was cleared.',
];
const COMMENT_LINES = [
  'Good to see this covered properly.',
  'I was there and it was worse than described.',
  'Who is going to pay for all this?',
  'Thanks for the update, very useful.',
  'My grandmother worked at that warehouse in the sixties.',
  'The timetable was already a mess before this.',
];

/** A small deterministic generator, so two runs write the same file. */
function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const cdata = (text) => `<![CDATA[${String(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const slugOf = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const wpDate = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function header() {
  const authors = AUTHORS.map(
    ([login, name], i) =>
      `\t<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login>${cdata(login)}</wp:author_login><wp:author_email>${cdata(`${login}@bench-harbour.example`)}</wp:author_email><wp:author_display_name>${cdata(name)}</wp:author_display_name></wp:author>\n`,
  ).join('');
  const categories = SECTIONS.map(
    (name, i) =>
      `\t<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${cdata(slugOf(name))}</wp:category_nicename><wp:category_parent>${cdata('')}</wp:category_parent><wp:cat_name>${cdata(name)}</wp:cat_name></wp:category>\n`,
  ).join('');
  const tags = TAGS.map(
    (slug, i) =>
      `\t<wp:tag><wp:term_id>${100 + i}</wp:term_id><wp:tag_slug>${cdata(slug)}</wp:tag_slug><wp:tag_name>${cdata(slug[0].toUpperCase() + slug.slice(1))}</wp:tag_name></wp:tag>\n`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Bench Harbour Herald</title>
\t<link>${SITE}</link>
\t<description>A generated export for the import benchmark</description>
\t<language>en-GB</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${SITE}</wp:base_site_url>
\t<wp:base_blog_url>${SITE}</wp:base_blog_url>
${authors}${categories}${tags}`;
}

function body(rnd, n, gutenberg) {
  const paragraphs = [];
  const count = 4 + Math.floor(rnd() * 5);
  for (let p = 0; p < count; p++) {
    const sentences = [];
    for (let s = 0; s < 2 + Math.floor(rnd() * 3); s++) sentences.push(pick(rnd, SENTENCES));
    paragraphs.push(sentences.join(' '));
  }
  // One story in a hundred has a picture: the export references it, the benchmark has no uploads folder.
  if (!gutenberg && n % 100 !== 1) return paragraphs.join('\n\n');
  if (!gutenberg)
    return `${paragraphs.join('\n\n')}\n\n[caption id="attachment_${n}" width="640"]<img src="${SITE}/wp-content/uploads/2024/03/photo-${n}.jpg" alt="Photo ${n}" /> Picture for story ${n}.[/caption]`;
  const blocks = paragraphs.map((p) => `<!-- wp:paragraph -->\n<p>${p}</p>\n<!-- /wp:paragraph -->`);
  blocks.splice(2, 0, `<!-- wp:heading -->\n<h2 class="wp-block-heading">What happens next</h2>\n<!-- /wp:heading -->`);
  return blocks.join('\n\n');
}

function item(rnd, n, comments, start) {
  const [login] = pick(rnd, AUTHORS);
  const section = pick(rnd, SECTIONS);
  const tag = pick(rnd, TAGS);
  const title = `${section} story ${n}: ${pick(rnd, SENTENCES).slice(0, 60)}`;
  const slug = `story-${n}`;
  const date = start + n * 600_000;
  const day = wpDate(date).slice(0, 10).replaceAll('-', '/');
  let xml = `\t<item>
\t\t<title>${cdata(title)}</title>
\t\t<link>${SITE}/${day}/${slug}/</link>
\t\t<dc:creator>${cdata(login)}</dc:creator>
\t\t<guid isPermaLink="false">${SITE}/?p=${n}</guid>
\t\t<content:encoded>${cdata(body(rnd, n, n % 2 === 0))}</content:encoded>
\t\t<excerpt:encoded>${cdata(pick(rnd, SENTENCES))}</excerpt:encoded>
\t\t<wp:post_id>${n}</wp:post_id>
\t\t<wp:post_date>${cdata(wpDate(date))}</wp:post_date>
\t\t<wp:post_date_gmt>${cdata(wpDate(date))}</wp:post_date_gmt>
\t\t<wp:comment_status>${cdata('open')}</wp:comment_status>
\t\t<wp:post_name>${cdata(slug)}</wp:post_name>
\t\t<wp:status>${cdata(n % 50 === 0 ? 'draft' : 'publish')}</wp:status>
\t\t<wp:post_parent>0</wp:post_parent>
\t\t<wp:post_type>${cdata('post')}</wp:post_type>
\t\t<wp:is_sticky>0</wp:is_sticky>
\t\t<category domain="category" nicename="${slugOf(section)}">${cdata(section)}</category>
\t\t<category domain="post_tag" nicename="${tag}">${cdata(tag)}</category>
`;
  const pictured = n % 100 === 1;
  if (pictured)
    xml += `\t\t<wp:postmeta><wp:meta_key>${cdata('_thumbnail_id')}</wp:meta_key><wp:meta_value>${cdata(ATTACHMENT + n)}</wp:meta_value></wp:postmeta>\n`;
  for (let c = 0; c < comments; c++) {
    const id = n * 1000 + c;
    const parent = c > 0 && rnd() < 0.3 ? n * 1000 + Math.floor(rnd() * c) : 0;
    const status = rnd() < 0.85 ? '1' : rnd() < 0.5 ? '0' : 'spam';
    xml += `\t\t<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>${cdata(`Reader ${id % 9973}`)}</wp:comment_author><wp:comment_author_email>${cdata(`reader${id % 9973}@mail.example`)}</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url><wp:comment_date>${cdata(wpDate(date + (c + 1) * 60_000))}</wp:comment_date><wp:comment_date_gmt>${cdata(wpDate(date + (c + 1) * 60_000))}</wp:comment_date_gmt><wp:comment_content>${cdata(`${pick(rnd, COMMENT_LINES)} ${pick(rnd, COMMENT_LINES)}`)}</wp:comment_content><wp:comment_approved>${cdata(status)}</wp:comment_approved><wp:comment_type>${cdata('comment')}</wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>\n`;
  }
  xml += `\t</item>\n`;
  // The picture's attachment comes after the post, as WordPress usually writes them.
  if (pictured) {
    xml += `\t<item>
\t\t<title>${cdata(`photo-${n}`)}</title>
\t\t<wp:post_id>${ATTACHMENT + n}</wp:post_id>
\t\t<wp:post_parent>${n}</wp:post_parent>
\t\t<wp:status>${cdata('inherit')}</wp:status>
\t\t<wp:post_type>${cdata('attachment')}</wp:post_type>
\t\t<wp:attachment_url>${cdata(`${SITE}/wp-content/uploads/2024/03/photo-${n}.jpg`)}</wp:attachment_url>
\t</item>\n`;
  }
  return xml;
}

/** Writes a WXR 1.2 export of `posts` posts with `comments` comments each to `file`, never holding more than one item. */
export async function writeWordPressExport(file, { posts = 5_000, comments = 10, seed = 42 } = {}) {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const rnd = random(seed);
  const start = Date.UTC(2020, 0, 1);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(header());
  for (let n = 1; n <= posts; n++) await write(item(rnd, n, comments, start));
  await write('</channel>\n</rss>\n');
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}

/** kB → MB: the peak resident set (VmHWM) of a process, while it lives. */
function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Runs a child to completion, polling its peak memory; resolves with its exit code, output and seconds. */
async function measured(args, env) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let peak = 0;
  const poll = setInterval(() => {
    const mb = peakRss(child.pid);
    if (Number.isFinite(mb)) peak = Math.max(peak, mb);
  }, 200);
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  return { code, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak };
}

const READ_SCRIPT = `
const { readWordPress } = await import(process.argv[1]);
const site = await readWordPress(process.argv[2]);
let posts = 0, comments = 0;
for await (const post of site.posts) { posts++; comments += post.comments.length; }
console.log(JSON.stringify({ posts, comments }));
`;

/**
 * Generates the export, then imports it (or only reads it) in a child process.
 * Returns the figures; `ran` is false (with `note`) when the built command cannot import yet.
 */
/** The archive size the import is planned for: the projection printed is for this many posts. */
export const TARGET_POSTS = 50_000;

export async function importBench({
  posts = 5_000,
  comments = 10,
  out,
  keep = false,
  generateOnly = false,
  readOnly = false,
  fromSource = false,
  log = () => {},
} = {}) {
  const work = mkdtempSync(join(tmpdir(), 'gazette-import-bench-'));
  const file = out ?? join(work, 'export.xml');
  const figures = {
    posts,
    comments: posts * comments,
    file,
    fileMb: 0,
    generateSeconds: 0,
    ran: false,
    mode: readOnly ? 'read' : 'import',
  };
  try {
    log(`writing ${posts.toLocaleString('en-US')} posts × ${comments} comments to ${file}`);
    const t0 = process.hrtime.bigint();
    figures.fileMb = (await writeWordPressExport(file, { posts, comments })) / 2 ** 20;
    figures.generateSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (generateOnly) return figures;
    const env = {
      ...process.env,
      GAZETTE_DATA: join(work, 'data'),
      GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123456789',
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    };
    let run;
    if (readOnly) {
      const reader = fromSource ? join(ROOT, 'src/import/wordpress/wordpress.reader.ts') : READER;
      if (!existsSync(reader)) return { ...figures, note: 'the reader is not built: run "npm run build" first' };
      log('reading it');
      run = await measured([...(fromSource ? ['--import', 'tsx'] : []), '--input-type=module', '-e', READ_SCRIPT, reader, file], env);
    } else if (fromSource) {
      log('importing it with src/main.ts import wordpress (tsx)');
      run = await measured(['--import', 'tsx', join(ROOT, 'src/main.ts'), 'import', 'wordpress', file], env);
    } else {
      if (!existsSync(BIN) || !existsSync(join(ROOT, 'dist')))
        return { ...figures, note: 'gazette is not built: run "npm run build" first' };
      log('importing it with gazette import wordpress');
      run = await measured([BIN, 'import', 'wordpress', file], env);
    }
    if (run.code !== 0) {
      const why = run.stderr.trim().split('\n').slice(-3).join(' ');
      return { ...figures, note: `the ${figures.mode} exited with ${run.code}: ${why || 'no message'}` };
    }
    return {
      ...figures,
      ran: true,
      seconds: run.seconds,
      postsPerSecond: posts / run.seconds,
      commentsPerSecond: (posts * comments) / run.seconds,
      peakRssMb: run.peakRssMb,
      // The rate holds as the archive grows (the import's memory and per-post work do not depend on it).
      projectedSeconds: (run.seconds * TARGET_POSTS) / posts,
    };
  } finally {
    // The export itself stays when --out named it; the data folder (and a generated file) only with --keep.
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

export function printImport(f) {
  console.log(
    `\nWordPress ${f.mode} (${fmt(f.posts)} posts, ${fmt(f.comments)} comments, ${fmt(f.fileMb, 1)} MB export written in ${fmt(f.generateSeconds, 1)} s)`,
  );
  if (!f.ran) {
    console.log(`  not run: ${f.note ?? 'generate only'}`);
    return;
  }
  console.log(`  total          ${fmt(f.seconds, 1)} s`);
  console.log(`  posts/s        ${fmt(f.postsPerSecond)}`);
  console.log(`  comments/s     ${fmt(f.commentsPerSecond)}`);
  console.log(`  peak RSS       ${fmt(f.peakRssMb)} MB`);
  if (f.mode === 'import' && Number.isFinite(f.projectedSeconds))
    console.log(
      `  50,000 posts   ~${fmt(f.projectedSeconds / 60, 1)} min at this rate (${fmt(TARGET_POSTS * (f.comments / f.posts))} comments)`,
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '5000' },
      comments: { type: 'string', default: '10' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'generate-only': { type: 'boolean', default: false },
      'read-only': { type: 'boolean', default: false },
      'from-source': { type: 'boolean', default: false },
    },
  });
  const posts = Number(values.posts);
  const comments = Number(values.comments);
  if (!Number.isInteger(posts) || posts < 1 || !Number.isInteger(comments) || comments < 0) {
    console.error('--posts is a whole number above 0 and --comments a whole number of 0 or more');
    process.exit(1);
  }
  const figures = await importBench({
    posts,
    comments,
    out: values.out,
    keep: values.keep,
    generateOnly: values['generate-only'],
    readOnly: values['read-only'],
    fromSource: values['from-source'],
    log: (...a) => console.error('·', ...a),
  });
  printImport(figures);
  if (!figures.ran && !values['generate-only']) process.exitCode = 1;
}
