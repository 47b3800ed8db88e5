import type { Executor } from '../events.js';
import type { DeliveryCounts } from './delivery.repo.js';

/** Copies the delivery counts onto the issue; once every delivery is settled, the issue is `sent`. */
export async function settleIssue(db: Executor, issueId: number, counts: DeliveryCounts, done: boolean, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('newsletter_issues')
    .set({
      sent_count: counts.sent,
      failed_count: counts.failed,
      bounced_count: counts.bounced,
      updated_at: at,
      ...(done ? { status: 'sent' as const, sent_at: at } : {}),
    })
    .where('id', '=', issueId)
    .execute();
}
