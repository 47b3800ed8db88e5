import type { ImportedSite, ImportSource } from './import.model.js';

/** The reader of each platform's export, loaded when used. */
export async function readExport(source: ImportSource, file: string, opts: { timeZone?: string } = {}): Promise<ImportedSite> {
  if (source === 'ghost') return (await import('./ghost/ghost.reader.js')).readGhost(file);
  return (await import('./wordpress/wordpress.reader.js')).readWordPress(file, { timeZone: opts.timeZone });
}

export const isImportSource = (s: string | undefined): s is ImportSource => s === 'wordpress' || s === 'ghost';
