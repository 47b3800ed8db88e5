import { readFile } from 'node:fs/promises';
import {
  type ImportedComment,
  type ImportedPerson,
  type ImportedPost,
  type ImportedSite,
  type ImportedStatus,
  type ImportedTerm,
  ImportFormatError,
  type ImportWarning,
} from '../import.model.js';
import { lexicalToHtml, mobiledocToHtml } from './ghost.content.js';

/** Ghost versions whose export format this reader knows. */
export const GHOST_VERSIONS = [4, 5];

type Row = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Ghost writes dates as ISO (5.x) or "YYYY-MM-DD HH:MM:SS" in UTC (older 4.x). */
function isoOf(v: unknown): string | undefined {
  const s = str(v).trim();
  if (!s) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const STATUSES: Record<string, ImportedStatus> = { published: 'published', draft: 'draft', scheduled: 'scheduled', sent: 'private' };
const COMMENT_STATUSES: Record<string, ImportedComment['status']> = { published: 'approved', hidden: 'rejected', deleted: 'rejected' };

/** `db[0].data` of a Ghost export (or the older top-level `data`), with its version checked. */
function dataOf(file: string, doc: unknown): { data: Row; version: string } {
  const root = (doc ?? {}) as Row;
  const db = Array.isArray(root.db) ? (root.db[0] as Row | undefined) : root;
  if (!db || typeof db !== 'object' || typeof db.data !== 'object' || db.data === null) {
    throw new ImportFormatError(file, 'db[0].data', 'not a Ghost export (no db[0].data)');
  }
  const version = str((db.meta as Row | undefined)?.version);
  const major = Number(version.split('.')[0]);
  if (!GHOST_VERSIONS.includes(major)) {
    throw new ImportFormatError(
      file,
      'db[0].meta.version',
      `Ghost ${version || '(no version)'} exports are not supported: export from Ghost ${GHOST_VERSIONS.join(' or ')}`,
    );
  }
  return { data: db.data as Row, version };
}

function table(file: string, data: Row, name: string): Row[] {
  const t = data[name];
  if (t === undefined) return [];
  if (!Array.isArray(t)) throw new ImportFormatError(file, `db[0].data.${name}`, 'should be a list');
  return t.map((row, i) => {
    if (!row || typeof row !== 'object') throw new ImportFormatError(file, `db[0].data.${name}[${i}]`, 'should be an object');
    return row as Row;
  });
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of [...rows].sort((a, b) => Number(a.sort_order ?? 0) - Number(b.sort_order ?? 0))) {
    const k = str(r[key]);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

/** The post's HTML: the exported `html`, else rendered from Lexical or Mobiledoc. */
function contentOf(file: string, post: Row, i: number, warnings: ImportWarning[]): string {
  const html = str(post.html);
  if (html.trim()) return html;
  try {
    if (str(post.lexical)) return lexicalToHtml(str(post.lexical));
    if (str(post.mobiledoc)) return mobiledocToHtml(str(post.mobiledoc));
  } catch {
    throw new ImportFormatError(file, `db[0].data.posts[${i}] (${str(post.slug)})`, 'its lexical/mobiledoc content is not valid JSON');
  }
  if (str(post.plaintext)) {
    warnings.push({ where: str(post.id), message: 'no HTML in the export: imported from its plain text' });
    return str(post.plaintext)
      .split(/\n{2,}/)
      .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
      .join('\n');
  }
  return '';
}

/**
 * Reads a Ghost JSON export (versions 4 and 5): posts and pages with their authors in
 * `posts_authors` order, the primary public tag as the category (→ section) and the other public
 * tags (internal `#tags` are skipped), feature image with alt and caption, custom excerpt, status
 * and dates, and native comments when the export has them. Everything is checked before the
 * posts are handed out, so a bad file fails with its element named and nothing written.
 */
export async function readGhost(file: string): Promise<ImportedSite> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ImportFormatError(file, 'file', 'cannot read the file');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ImportFormatError(file, 'JSON', `not valid JSON (${(error as Error).message})`);
  }
  const { data } = dataOf(file, doc);
  const warnings: ImportWarning[] = [];
  const users = new Map(table(file, data, 'users').map((u) => [str(u.id), u]));
  const tagRows = table(file, data, 'tags');
  const tags = new Map(tagRows.map((t) => [str(t.id), t]));
  const postsTags = groupBy(table(file, data, 'posts_tags'), 'post_id');
  const postsAuthors = groupBy(table(file, data, 'posts_authors'), 'post_id');
  const postsMeta = new Map(table(file, data, 'posts_meta').map((m) => [str(m.post_id), m]));
  const members = new Map(table(file, data, 'members').map((m) => [str(m.id), m]));
  const commentsByPost = groupBy(table(file, data, 'comments'), 'post_id');
  const settings = new Map(table(file, data, 'settings').map((s) => [str(s.key), s.value]));

  const person = (u: Row): ImportedPerson => ({
    sourceId: str(u.id),
    name: str(u.name) || str(u.slug) || 'Unknown',
    slug: str(u.slug) || undefined,
    email: str(u.email) || undefined,
    bio: str(u.bio) || undefined,
  });
  const term = (t: Row): ImportedTerm => ({
    sourceId: str(t.id),
    name: str(t.name),
    slug: str(t.slug),
    description: str(t.description) || undefined,
  });
  const isInternal = (t: Row) => t.visibility === 'internal' || str(t.name).startsWith('#');

  const posts: ImportedPost[] = table(file, data, 'posts').map((p, i) => {
    const where = `db[0].data.posts[${i}]`;
    const id = str(p.id);
    if (!id) throw new ImportFormatError(file, where, 'a post without an id');
    const slug = str(p.slug);
    const status = STATUSES[str(p.status)];
    if (!status) throw new ImportFormatError(file, `${where}.status`, `unknown status "${str(p.status)}"`);
    const byline = (postsAuthors.get(id) ?? []).map((pa) => users.get(str(pa.author_id))).filter((u): u is Row => !!u);
    if (!byline.length && users.get(str(p.author_id))) byline.push(users.get(str(p.author_id)) as Row);
    const postTags = (postsTags.get(id) ?? [])
      .map((pt) => tags.get(str(pt.tag_id)))
      .filter((t): t is Row => !!t && !isInternal(t))
      .map(term);
    const meta = postsMeta.get(id) ?? {};
    const image = str(p.feature_image).replace(/__GHOST_URL__/g, '');
    const comments: ImportedComment[] = (commentsByPost.get(id) ?? []).flatMap((c, j) => {
      const cstatus = COMMENT_STATUSES[str(c.status)];
      const createdAt = isoOf(c.created_at);
      if (!str(c.id) || !createdAt)
        throw new ImportFormatError(file, `db[0].data.comments (post ${id}, #${j})`, 'a comment without id or date');
      if (!cstatus || str(c.status) === 'deleted') return [];
      const member = members.get(str(c.member_id)) ?? {};
      return [
        {
          sourceId: str(c.id),
          parentId: str(c.parent_id) || undefined,
          authorName: str(member.name) || 'Anonymous',
          authorEmail: str(member.email) || undefined,
          body: str(c.html),
          createdAt,
          status: cstatus,
        },
      ];
    });
    return {
      sourceId: id,
      kind: p.type === 'page' ? 'page' : 'post',
      title: str(p.title),
      slug,
      html: contentOf(file, p, i, warnings).replace(/__GHOST_URL__/g, ''),
      excerpt: str(p.custom_excerpt) || undefined,
      status,
      publishedAt: isoOf(p.published_at),
      createdAt: isoOf(p.created_at),
      updatedAt: isoOf(p.updated_at),
      authors: byline.map(person),
      categories: postTags.slice(0, 1),
      tags: postTags.slice(1),
      featuredImage: image
        ? {
            url: image,
            alt: str(meta.feature_image_alt) || str(p.feature_image_alt) || undefined,
            caption: str(meta.feature_image_caption) || str(p.feature_image_caption) || undefined,
          }
        : undefined,
      sticky: p.featured === true || p.featured === 1,
      commentsOpen: true,
      oldUrls: slug ? [`/${slug}/`] : [],
      comments,
    } satisfies ImportedPost;
  });

  const siteUrl = str(settings.get('url')) || undefined;
  return {
    source: 'ghost',
    siteUrl,
    people: [...users.values()].map(person),
    categories: [],
    tags: tagRows.filter((t) => !isInternal(t)).map(term),
    posts: (async function* () {
      yield* posts;
    })(),
    warnings,
  };
}
