import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Section, author and tag pages read one list's published articles newest first, a page at a
// time from a cursor (publication time, article id). `listings` holds one row per published
// article and list it belongs to, keyed in that order, so any page is a short index range;
// `listing_counts` holds how many articles each list has. Triggers keep both exact in the
// transaction of every change to articles, bylines and tags, whichever code makes it. The
// triggers touch the counts section first, then authors, then tags, each in id order, so that
// concurrent writers on PostgreSQL mostly queue on those rows rather than deadlock.
const LISTED = `status = 'published' AND published_at IS NOT NULL`;
const LINKS = [
  { table: 'article_authors', kind: 'author', column: 'person_id' },
  { table: 'article_tags', kind: 'tag', column: 'tag_id' },
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await sql`
    CREATE TABLE listings (
      kind text NOT NULL,
      list_id integer NOT NULL,
      published_at text NOT NULL,
      article_id integer NOT NULL,
      PRIMARY KEY (kind, list_id, published_at, article_id)
    ) ${pg ? sql`` : sql`WITHOUT ROWID`}`.execute(db);
  await sql`CREATE INDEX listings_article ON listings (article_id, kind, list_id)`.execute(db);
  await sql`
    CREATE TABLE listing_counts (
      kind text NOT NULL,
      list_id integer NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (kind, list_id)
    )`.execute(db);

  await sql`
    INSERT INTO listings (kind, list_id, published_at, article_id)
    SELECT 'section', section_id, published_at, id FROM articles WHERE ${sql.raw(LISTED)}`.execute(db);
  for (const { table, kind, column } of LINKS) {
    await sql`
      INSERT INTO listings (kind, list_id, published_at, article_id)
      SELECT ${sql.lit(kind)}, l.${sql.ref(column)}, a.published_at, a.id FROM ${sql.table(table)} l JOIN articles a ON a.id = l.article_id
      WHERE a.status = 'published' AND a.published_at IS NOT NULL`.execute(db);
  }
  await sql`
    INSERT INTO listing_counts (kind, list_id, n)
    SELECT kind, list_id, count(*) FROM listings GROUP BY kind, list_id`.execute(db);

  if (pg) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

/** The rows of one article in every list, when it is listed (`n` is NEW in a trigger). */
function insertAll(n: string) {
  const when = `${n}.status = 'published' AND ${n}.published_at IS NOT NULL`;
  return `
    INSERT INTO listings (kind, list_id, published_at, article_id)
      SELECT 'section', ${n}.section_id, ${n}.published_at, ${n}.id WHERE ${when};
    INSERT INTO listings (kind, list_id, published_at, article_id)
      SELECT 'author', person_id, ${n}.published_at, ${n}.id FROM article_authors WHERE article_id = ${n}.id AND ${when}
      ORDER BY person_id;
    INSERT INTO listings (kind, list_id, published_at, article_id)
      SELECT 'tag', tag_id, ${n}.published_at, ${n}.id FROM article_tags WHERE article_id = ${n}.id AND ${when}
      ORDER BY tag_id;`;
}

function deleteAll(o: string) {
  return ['section', 'author', 'tag'].map((k) => `DELETE FROM listings WHERE article_id = ${o}.id AND kind = '${k}';`).join('\n');
}

function insertLink(kind: string, column: string, n: string) {
  return `
    INSERT INTO listings (kind, list_id, published_at, article_id)
      SELECT '${kind}', ${n}.${column}, published_at, id FROM articles WHERE id = ${n}.article_id AND ${LISTED}`;
}

function deleteLink(kind: string, column: string, o: string) {
  return `DELETE FROM listings WHERE article_id = ${o}.article_id AND kind = '${kind}' AND list_id = ${o}.${column}`;
}

const CHANGED = `(old.status IS NOT new.status OR old.published_at IS NOT new.published_at OR old.section_id IS NOT new.section_id)`;

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TRIGGER listings_article_insert AFTER INSERT ON articles
     BEGIN ${insertAll('new')} END`,
    `CREATE TRIGGER listings_article_update AFTER UPDATE OF status, published_at, section_id ON articles WHEN ${CHANGED}
     BEGIN ${deleteAll('old')} ${insertAll('new')} END`,
    `CREATE TRIGGER listings_article_delete AFTER DELETE ON articles
     BEGIN ${deleteAll('old')} END`,
  ];
  for (const { table, kind, column } of LINKS) {
    statements.push(
      `CREATE TRIGGER listings_${table}_insert AFTER INSERT ON ${table}
       BEGIN ${insertLink(kind, column, 'new')}; END`,
      `CREATE TRIGGER listings_${table}_update AFTER UPDATE OF article_id, ${column} ON ${table}
       BEGIN ${deleteLink(kind, column, 'old')}; ${insertLink(kind, column, 'new')}; END`,
      `CREATE TRIGGER listings_${table}_delete AFTER DELETE ON ${table}
       BEGIN ${deleteLink(kind, column, 'old')}; END`,
    );
  }
  statements.push(
    `CREATE TRIGGER listing_counts_insert AFTER INSERT ON listings
     BEGIN
       INSERT INTO listing_counts (kind, list_id, n) VALUES (new.kind, new.list_id, 1)
         ON CONFLICT (kind, list_id) DO UPDATE SET n = n + 1;
     END`,
    `CREATE TRIGGER listing_counts_delete AFTER DELETE ON listings
     BEGIN UPDATE listing_counts SET n = n - 1 WHERE kind = old.kind AND list_id = old.list_id; END`,
  );
  for (const s of statements) await sql.raw(s).execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE FUNCTION listings_of_article() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP <> 'INSERT' THEN ${deleteAll('OLD')} END IF;
       IF TG_OP <> 'DELETE' THEN ${insertAll('NEW')} END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER listings_article_insert AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION listings_of_article()`,
    `CREATE TRIGGER listings_article_update AFTER UPDATE OF status, published_at, section_id ON articles FOR EACH ROW
     WHEN ${CHANGED.replaceAll('IS NOT', 'IS DISTINCT FROM')} EXECUTE FUNCTION listings_of_article()`,
    `CREATE TRIGGER listings_article_delete AFTER DELETE ON articles FOR EACH ROW EXECUTE FUNCTION listings_of_article()`,
  ];
  for (const { table, kind, column } of LINKS) {
    statements.push(
      `CREATE FUNCTION listings_of_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' THEN ${deleteLink(kind, column, 'OLD')}; END IF;
         IF TG_OP <> 'DELETE' THEN ${insertLink(kind, column, 'NEW')}; END IF;
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER listings_${table}_change AFTER INSERT OR DELETE OR UPDATE OF article_id, ${column} ON ${table}
       FOR EACH ROW EXECUTE FUNCTION listings_of_${table}()`,
    );
  }
  statements.push(
    `CREATE FUNCTION listing_counts_of() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'INSERT' THEN
         INSERT INTO listing_counts (kind, list_id, n) VALUES (NEW.kind, NEW.list_id, 1)
           ON CONFLICT (kind, list_id) DO UPDATE SET n = listing_counts.n + 1;
       ELSE
         UPDATE listing_counts SET n = n - 1 WHERE kind = OLD.kind AND list_id = OLD.list_id;
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER listing_counts_change AFTER INSERT OR DELETE ON listings FOR EACH ROW EXECUTE FUNCTION listing_counts_of()`,
  );
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    // Dropping a function drops the triggers that call it.
    for (const f of ['listings_of_article', 'listings_of_article_authors', 'listings_of_article_tags', 'listing_counts_of']) {
      await sql.raw(`DROP FUNCTION IF EXISTS ${f}() CASCADE`).execute(db);
    }
  } else {
    for (const name of ['article', ...LINKS.map((l) => l.table)]) {
      for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS listings_${name}_${op}`).execute(db);
    }
  }
  await sql`DROP TABLE IF EXISTS listing_counts`.execute(db);
  await sql`DROP TABLE IF EXISTS listings`.execute(db);
}
