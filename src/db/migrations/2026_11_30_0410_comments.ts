import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  // One row per email address that has commented: the moderators' view of a person's history.
  await id(db.schema.createTable('commenters'))
    .addColumn('email', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('approved_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('last_seen_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('comments'))
    .addColumn('article_id', 'integer', (c: any) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c: any) => c.references('comments.id').onDelete('set null'))
    // The top-level comment of the thread (itself for a top-level one): a page loads whole threads at once.
    .addColumn('root_id', 'integer')
    .addColumn('depth', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('commenter_id', 'integer', (c: any) => c.references('commenters.id').onDelete('set null'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('body', 'text', (c: any) => c.notNull())
    .addColumn('body_hash', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('reasons', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('spam_score', 'real')
    .addColumn('trained_as', 'text')
    .addColumn('ip_hash', 'text')
    .addColumn('source', 'text', (c: any) => c.notNull())
    .addColumn('open_reports', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('reject_reason', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('moderated_at', 'text')
    .execute();
  await db.schema.createIndex('comments_article_status').on('comments').columns(['article_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('comments_root').on('comments').columns(['root_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('comments_status_created').on('comments').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('comments_commenter').on('comments').columns(['commenter_id', 'created_at']).execute();
  await db.schema.createIndex('comments_ip').on('comments').columns(['ip_hash', 'created_at']).execute();
  await db.schema.createIndex('comments_reported').on('comments').columns(['open_reports', 'created_at']).execute();

  await id(db.schema.createTable('comment_reports'))
    .addColumn('comment_id', 'integer', (c: any) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c: any) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema.createIndex('comment_reports_comment').on('comment_reports').columns(['comment_id', 'resolved_at']).execute();

  await id(db.schema.createTable('moderation_log'))
    .addColumn('comment_id', 'integer', (c: any) => c.references('comments.id').onDelete('set null'))
    .addColumn('actor_user_id', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_name', 'text', (c: any) => c.notNull())
    .addColumn('action', 'text', (c: any) => c.notNull())
    .addColumn('reason', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('moderation_log_created').on('moderation_log').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('moderation_log_comment').on('moderation_log').column('comment_id').execute();

  // Bans keep only keyed hashes of the email or address, so erasing a commenter leaves no readable trace.
  await id(db.schema.createTable('comment_bans'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('value_hash', 'text', (c: any) => c.notNull())
    .addColumn('reason', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('comment_bans_kind_value', ['kind', 'value_hash'])
    .execute();

  await id(db.schema.createTable('comment_words'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('word', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('comment_words_kind_word', ['kind', 'word'])
    .execute();

  // The spam classifier: per-token counts of the two classes, and documents per class.
  await db.schema
    .createTable('spam_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('spam_docs')
    .addColumn('class', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .insertInto('spam_docs')
    .values([
      { class: 'spam', count: 0 },
      { class: 'ham', count: 0 },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'spam_docs',
    'spam_tokens',
    'comment_words',
    'comment_bans',
    'moderation_log',
    'comment_reports',
    'comments',
    'commenters',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
