import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen once merged: add a new migration instead of editing this one.
//
// What an import brought in, so that running it again updates instead of duplicating: one row per
// (source, kind, source id) naming the Gazette row it became and a fingerprint of what was read.
// And the imports started from the newsroom: the uploaded files, the job's progress and its report.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());
  await db.schema
    .createTable('import_map')
    .$call(id)
    .addColumn('source', 'text', (c: any) => c.notNull())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('source_id', 'text', (c: any) => c.notNull())
    .addColumn('target_id', 'integer', (c: any) => c.notNull())
    .addColumn('fingerprint', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('import_map_source').on('import_map').columns(['source', 'kind', 'source_id']).unique().execute();
  await db.schema
    .createTable('import_runs')
    .$call(id)
    .addColumn('source', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('file_path', 'text', (c: any) => c.notNull())
    .addColumn('file_name', 'text', (c: any) => c.notNull())
    .addColumn('media_path', 'text')
    .addColumn('options', 'text', (c: any) => c.notNull())
    .addColumn('progress', 'text', (c: any) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_runs').execute();
  await db.schema.dropTable('import_map').execute();
}
