import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { ImportFormatError } from './import.model.js';
import { isImportSource, readExport } from './import.readers.js';
import { formatReport } from './import.report.js';
import { parseSectionMap, runImport } from './import.service.js';

export const IMPORT_USAGE =
  'Usage: gazette import wordpress|ghost FILE [--media DIR|ZIP] [--fetch-media] [--dry-run] [--section-map old=New,…] [--pages section|skip] [--json]';

/** The arguments of `gazette import`, checked before the database is opened; a string is what is wrong. */
export function parseImportArgs(args: string[]) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return `gazette import: ${(error as Error).message}`;
  }
  const [source, file, ...extra] = parsed.positionals;
  if (!isImportSource(source) || !file || extra.length) return IMPORT_USAGE;
  const pages = parsed.values.pages ?? 'section';
  if (pages !== 'section' && pages !== 'skip') return 'gazette import: --pages is "section" or "skip"';
  let sectionMap: Record<string, string>;
  try {
    sectionMap = parseSectionMap(parsed.values['section-map']);
  } catch (error) {
    return `gazette import: ${(error as Error).message}`;
  }
  return {
    source,
    file,
    media: parsed.values.media,
    fetchMedia: !!parsed.values['fetch-media'],
    dryRun: !!parsed.values['dry-run'],
    json: !!parsed.values.json,
    pages: pages as 'section' | 'skip',
    sectionMap,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      media: { type: 'string' },
      'fetch-media': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'section-map': { type: 'string' },
      pages: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}

/** `gazette import wordpress|ghost FILE …`: prints the report; exit 1 with one line on bad input. */
export async function importCommand(db: Kysely<Database>, args: ReturnType<typeof parseImportArgs>, dataDir: string): Promise<number> {
  if (typeof args === 'string') {
    console.error(args);
    return 1;
  }
  const { loadSettings } = await import('../settings/settings.service.js');
  const { timeZone } = await loadSettings(db);
  try {
    const report = await runImport(db, {
      source: args.source,
      open: () => readExport(args.source, args.file, { timeZone }),
      media: args.media,
      fetchMedia: args.fetchMedia,
      dryRun: args.dryRun,
      sectionMap: args.sectionMap,
      pages: args.pages,
      mediaRoot: join(dataDir, 'media'),
    });
    console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } catch (error) {
    if (error instanceof ImportFormatError) console.error(`error: ${error.message}`);
    else if (error instanceof AppError && error.status < 500) console.error(`error: ${args.file}: ${error.message}`);
    else throw error;
    return 1;
  }
}
