import { parseArgs } from 'node:util';
import type { Db } from '../db/connect.js';
import { BackupError, backupDatabase, restoreDatabase } from './backup.service.js';

/** `gazette backup FILE` and `gazette restore FILE [--force]`; returns the exit code. */
export async function backupCommand(command: 'backup' | 'restore', conn: Db, args: string[], dataDir: string): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    console.error(`gazette ${command}: name exactly one file, e.g. gazette ${command} gazette-2026-11-30.db`);
    return 1;
  }
  const [file] = positionals;
  try {
    if (command === 'backup') {
      const result = await backupDatabase(conn, file);
      console.log(JSON.stringify({ file: result.file, bytes: result.bytes }));
    } else {
      const result = await restoreDatabase(conn, file, { dataDir, force: values.force });
      console.log(JSON.stringify({ restored: file, articles: result.articles }));
    }
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`gazette ${command}: ${error.message}`);
    return 2;
  }
}
