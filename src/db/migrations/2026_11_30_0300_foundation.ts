import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await id(db.schema.createTable('sections'))
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('people'))
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('bio', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('media'))
    .addColumn('hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('mime', 'text', (c: any) => c.notNull())
    .addColumn('width', 'integer', (c: any) => c.notNull())
    .addColumn('height', 'integer', (c: any) => c.notNull())
    .addColumn('bytes', 'integer', (c: any) => c.notNull())
    .addColumn('alt', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('caption', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('credit', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('variants', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('articles'))
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('section_id', 'integer', (c: any) => c.notNull().references('sections.id'))
    .addColumn('headline', 'text', (c: any) => c.notNull())
    .addColumn('standfirst', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c: any) => c.notNull())
    .addColumn('body_html', 'text', (c: any) => c.notNull())
    .addColumn('word_count', 'integer', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text')
    .addColumn('comments_open', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('hero_media_id', 'integer', (c: any) => c.references('media.id'))
    .addColumn('hero_alt', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('hero_caption', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('hero_credit', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('modified_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_status_published').on('articles').columns(['status', 'published_at', 'id']).execute();
  await db.schema
    .createIndex('articles_section_published')
    .on('articles')
    .columns(['section_id', 'status', 'published_at', 'id'])
    .execute();

  await db.schema
    .createTable('article_authors')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'person_id'])
    .execute();
  await db.schema.createIndex('article_authors_person').on('article_authors').columns(['person_id', 'article_id']).execute();

  await id(db.schema.createTable('tags'))
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema
    .createTable('article_tags')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id'))
    .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('article_tags_tag').on('article_tags').columns(['tag_id', 'article_id']).execute();

  await (pg
    ? db.schema.createTable('events').addColumn('id', 'bigserial', (c) => c.primaryKey())
    : db.schema.createTable('events').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_type').on('events').columns(['type', 'id']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await sql`select 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['settings', 'events', 'article_tags', 'tags', 'article_authors', 'articles', 'media', 'people', 'sections']) {
    await db.schema.dropTable(t).execute();
  }
}
