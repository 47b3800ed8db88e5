import type { EventType } from '../events.js';
import type { WorkflowAction } from './article.rules.js';
import type { ArticleStatus } from './article.table.js';

/**
 * What a change to an article is called: the workflow step it took, the event it records and the
 * note its revision carries. The newsroom names its step (the button pressed); `gazette publish`,
 * the scheduler and importers name theirs by the status they set.
 */

const STEP_EVENTS: Record<WorkflowAction, EventType> = {
  submit: 'article.submitted',
  return: 'article.returned',
  schedule: 'article.scheduled',
  publish: 'article.published',
  unpublish: 'article.unpublished',
};

/** The step a change made outside the newsroom takes: publishing, (re)scheduling, taking down, or none. */
export function stepFor(from: ArticleStatus | undefined, to: ArticleStatus): WorkflowAction | undefined {
  if (to === 'scheduled') return 'schedule';
  if (to === 'published' && from !== 'published') return 'publish';
  if (to === 'unpublished' && from === 'published') return 'unpublish';
  return undefined;
}

/** The step's event; without one, a new article is created, a live one updated, any other saved. */
export function eventFor(step: WorkflowAction | undefined, from: ArticleStatus | undefined, to: ArticleStatus): EventType {
  if (step) return STEP_EVENTS[step];
  if (from === undefined) return 'article.created';
  return from === 'published' && to === 'published' ? 'article.updated' : 'article.saved';
}

/** What outside writers' revisions say about each event. */
const EVENT_NOTES: Partial<Record<EventType, string>> = {
  'article.created': 'Created',
  'article.published': 'Published',
  'article.updated': 'Updated',
  'article.scheduled': 'Scheduled',
  'article.unpublished': 'Unpublished',
  'article.saved': 'Saved',
};

/**
 * A revision's note: in the newsroom the step's label ("Publish now") or Created / Saved; the
 * scheduler's "Published on schedule"; an import's "Imported"; for a file, what happened ("Updated").
 */
export function changeNote(writer: 'staff' | 'publish' | 'scheduler' | 'import', event: EventType, stepLabel?: string): string {
  if (writer === 'scheduler') return 'Published on schedule';
  if (writer === 'staff') return stepLabel ?? (event === 'article.created' ? 'Created' : 'Saved');
  if (writer === 'import') return 'Imported';
  return EVENT_NOTES[event] ?? 'Saved';
}
