import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { createNarrator } from './narration.setup.js';

/** `gazette narrate ID…|--all [--force]`: narrates now, in this process, and prints one JSON line per article. */
export async function narrateCommand(db: Kysely<Database>, dataDir: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: 'boolean' }, force: { type: 'boolean' } },
  });
  let ids: number[];
  if (values.all) {
    const rows = await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id').execute();
    ids = rows.map((r) => r.id);
  } else {
    if (positionals.length === 0 || positionals.some((p) => !/^\d{1,9}$/.test(p))) {
      console.error('gazette narrate: give article ids, or --all');
      return 1;
    }
    ids = positionals.map(Number);
  }
  const narrator = createNarrator({ db, dataDir });
  let failed = 0;
  try {
    for (const id of ids) {
      const started = Date.now();
      try {
        const outcome = await narrator.narrate(id, { force: values.force });
        console.log(JSON.stringify({ id, ...outcome, ms: Date.now() - started }));
      } catch (error) {
        failed++;
        console.log(JSON.stringify({ id, status: 'failed', error: (error as Error).message }));
      }
    }
  } finally {
    narrator.close();
  }
  return failed ? 1 : 0;
}
