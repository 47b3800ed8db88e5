import { createHash } from 'node:crypto';
import type { Executor } from '../events.js';
import type { ImportSource } from './import.model.js';

/** A stable fingerprint of what was read, to tell a changed source item from an unchanged one. */
export const fingerprintOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

export interface Mapped {
  targetId: number;
  fingerprint: string;
}

/** What earlier imports made of these source ids (of one kind). */
export async function findMapped(db: Executor, source: ImportSource, kind: string, sourceIds: string[]): Promise<Map<string, Mapped>> {
  const out = new Map<string, Mapped>();
  for (let i = 0; i < sourceIds.length; i += 500) {
    const chunk = sourceIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('import_map')
      .select(['source_id', 'target_id', 'fingerprint'])
      .where('source', '=', source)
      .where('kind', '=', kind)
      .where('source_id', 'in', chunk)
      .execute();
    for (const r of rows) out.set(r.source_id, { targetId: r.target_id, fingerprint: r.fingerprint });
  }
  return out;
}

/** Remembers (or updates) what a source item became. */
export async function remember(
  trx: Executor,
  input: { source: ImportSource; kind: string; sourceId: string; targetId: number; fingerprint: string; now: string },
): Promise<void> {
  await trx
    .insertInto('import_map')
    .values({
      source: input.source,
      kind: input.kind,
      source_id: input.sourceId,
      target_id: input.targetId,
      fingerprint: input.fingerprint,
      created_at: input.now,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['source', 'kind', 'source_id'])
        .doUpdateSet({ target_id: input.targetId, fingerprint: input.fingerprint, updated_at: input.now }),
    )
    .execute();
}

/** Remembers many items of one kind at once (one statement per few hundred). */
export async function rememberMany(
  trx: Executor,
  input: { source: ImportSource; kind: string; rows: { sourceId: string; targetId: number; fingerprint: string }[]; now: string },
): Promise<void> {
  for (let i = 0; i < input.rows.length; i += 200) {
    const chunk = input.rows.slice(i, i + 200);
    await trx
      .insertInto('import_map')
      .values(
        chunk.map((r) => ({
          source: input.source,
          kind: input.kind,
          source_id: r.sourceId,
          target_id: r.targetId,
          fingerprint: r.fingerprint,
          created_at: input.now,
          updated_at: input.now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['source', 'kind', 'source_id']).doUpdateSet((eb) => ({
          target_id: eb.ref('excluded.target_id'),
          fingerprint: eb.ref('excluded.fingerprint'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
