import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// Cookie-free reader analytics (src/analytics). Raw beacons are kept a few weeks and carry no
// visitor identifier; unique visitors are counted with a daily salted hash that lives only in
// `analytics_salts` and `analytics_visitors`, both emptied of every earlier day at each day change.
// Counters are rolled up per article and hour, per article and day, per source and day, and per day.
const COUNTERS = [
  'views',
  'visitors',
  'engaged_seconds',
  'depth25',
  'depth50',
  'depth75',
  'depth100',
  'listens',
  'listen25',
  'listen50',
  'listen75',
  'listen100',
  'shares',
  'comment_opens',
  'comment_sends',
  'signups',
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const counters = (t: any) => {
    let table = t;
    for (const c of COUNTERS) table = table.addColumn(c, 'integer', (col: any) => col.notNull().defaultTo(0));
    return table;
  };
  await db.schema
    .createTable('analytics_events')
    .$call((t: any) =>
      pg
        ? t.addColumn('id', 'bigserial', (c: any) => c.primaryKey())
        : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()),
    )
    .addColumn('at', 'text', (c: any) => c.notNull())
    .addColumn('type', 'text', (c: any) => c.notNull())
    .addColumn('path', 'text', (c: any) => c.notNull())
    .addColumn('article_id', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('value', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('detail', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('referrer_host', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('utm_source', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('utm_medium', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('utm_campaign', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('screen', 'text', (c: any) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('analytics_events_at').on('analytics_events').column('at').execute();
  await db.schema
    .createTable('analytics_hourly')
    .addColumn('hour', 'text', (c: any) => c.notNull())
    .addColumn('article_id', 'integer', (c: any) => c.notNull())
    .$call(counters)
    .addPrimaryKeyConstraint('analytics_hourly_pk', ['hour', 'article_id'])
    .execute();
  await db.schema
    .createTable('analytics_daily')
    .addColumn('day', 'text', (c: any) => c.notNull())
    .addColumn('article_id', 'integer', (c: any) => c.notNull())
    .$call(counters)
    .addPrimaryKeyConstraint('analytics_daily_pk', ['day', 'article_id'])
    .execute();
  await db.schema.createIndex('analytics_daily_article').on('analytics_daily').columns(['article_id', 'day']).execute();
  await db.schema
    .createTable('analytics_sources')
    .addColumn('day', 'text', (c: any) => c.notNull())
    .addColumn('article_id', 'integer', (c: any) => c.notNull())
    .addColumn('source', 'text', (c: any) => c.notNull())
    .addColumn('views', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_sources_pk', ['day', 'article_id', 'source'])
    .execute();
  await db.schema
    .createTable('analytics_days')
    .addColumn('day', 'text', (c: any) => c.primaryKey())
    .addColumn('views', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('visitors', 'integer', (c: any) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('analytics_salts')
    .addColumn('day', 'text', (c: any) => c.primaryKey())
    .addColumn('salt', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema
    .createTable('analytics_visitors')
    .addColumn('bucket', 'text', (c: any) => c.notNull())
    .addColumn('visitor', 'text', (c: any) => c.notNull())
    .addColumn('day', 'text', (c: any) => c.notNull())
    .addColumn('article_id', 'integer', (c: any) => c.notNull())
    .addColumn('batch', 'text', (c: any) => c.notNull())
    .addColumn('seen_at', 'text', (c: any) => c.notNull())
    .addPrimaryKeyConstraint('analytics_visitors_pk', ['bucket', 'visitor'])
    .execute();
  await db.schema.createIndex('analytics_visitors_day').on('analytics_visitors').column('day').execute();
  await db.schema.createIndex('analytics_visitors_seen').on('analytics_visitors').columns(['seen_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'analytics_visitors',
    'analytics_salts',
    'analytics_days',
    'analytics_sources',
    'analytics_daily',
    'analytics_hourly',
    'analytics_events',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
