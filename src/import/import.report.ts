import type { ImportSource, ImportWarning } from './import.model.js';

/** What happened to the things of one kind. */
export interface KindCounts {
  /** New in Gazette. */
  imported: number;
  /** Already imported before and changed since: written again (a new revision for articles). */
  updated: number;
  /** Already imported before and the same: left alone. */
  unchanged: number;
  /** Not imported (the reasons are in `skipped`). */
  skipped: number;
}

export type ReportKind = 'post' | 'page' | 'comment' | 'media';

/** The outcome of an import (or of a dry run: what it would do). */
export interface ImportReport {
  source: ImportSource;
  dryRun: boolean;
  counts: Record<ReportKind, KindCounts>;
  /** Sections, bylined people and tags the import created. */
  created: { sections: number; people: number; tags: number };
  /** Why something was left out: `where` names it in the export. */
  skipped: { kind: ReportKind; where: string; why: string }[];
  /** Images the export names that were not found in the media folder or zip. */
  missingMedia: { url: string; where: string }[];
  /** What the reader met and carried over as best it could (unknown shortcodes…). */
  warnings: ImportWarning[];
  /** Old addresses that now answer 301 (new and updated). */
  redirects: number;
  /** Old addresses that could not be kept, with why. */
  redirectsSkipped: { from: string; why: string }[];
}

const zero = (): KindCounts => ({ imported: 0, updated: 0, unchanged: 0, skipped: 0 });

export function emptyReport(source: ImportSource, dryRun: boolean): ImportReport {
  return {
    source,
    dryRun,
    counts: { post: zero(), page: zero(), comment: zero(), media: zero() },
    created: { sections: 0, people: 0, tags: 0 },
    skipped: [],
    missingMedia: [],
    warnings: [],
    redirects: 0,
    redirectsSkipped: [],
  };
}

/** Lists in a report stay readable (and a stored report small) for huge exports. */
const LIST_MAX = 500;

export function pushCapped<T>(list: T[], item: T): void {
  if (list.length < LIST_MAX) list.push(item);
}

const LABELS: Record<ReportKind, string> = { post: 'Posts', page: 'Pages', comment: 'Comments', media: 'Media' };

/** The report as the command line prints it. */
export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  const from = r.source === 'wordpress' ? 'WordPress' : 'Ghost';
  lines.push(r.dryRun ? `Dry run of a ${from} import: nothing was written.` : `${from} import finished.`);
  for (const kind of Object.keys(LABELS) as ReportKind[]) {
    const c = r.counts[kind];
    lines.push(
      `  ${LABELS[kind].padEnd(9)} ${c.imported} ${r.dryRun ? 'to import' : 'imported'}, ${c.updated} ${r.dryRun ? 'to update' : 'updated'}, ${c.unchanged} unchanged, ${c.skipped} skipped`,
    );
  }
  lines.push(`  Created   ${r.created.sections} sections, ${r.created.people} people, ${r.created.tags} tags`);
  lines.push(`  Redirects ${r.redirects} old addresses ${r.dryRun ? 'to redirect' : 'now redirect'} (301)`);
  if (r.skipped.length) {
    lines.push('Skipped:');
    for (const s of r.skipped) lines.push(`  ${s.kind} ${s.where}: ${s.why}`);
  }
  if (r.missingMedia.length) {
    lines.push('Missing media (the articles were imported without them):');
    for (const m of r.missingMedia) lines.push(`  ${m.url} (${m.where})`);
  }
  if (r.redirectsSkipped.length) {
    lines.push('Old addresses not redirected:');
    for (const s of r.redirectsSkipped) lines.push(`  ${s.from}: ${s.why}`);
  }
  if (r.warnings.length) {
    lines.push('Warnings:');
    for (const w of r.warnings) lines.push(`  ${w.where}: ${w.message}`);
  }
  return lines.join('\n');
}
