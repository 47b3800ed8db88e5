import type { Executor } from '../events.js';
import { autoDisabledEndpoints } from './webhook.repo.js';

/** The administrators' dashboard notices: one per endpoint Gazette switched off after failing for days. */
export async function webhookNotices(db: Executor): Promise<{ href: string; text: string }[]> {
  const rows = await autoDisabledEndpoints(db);
  return rows.map((r) => ({ href: `/admin/webhooks/${r.id}`, text: `Webhook ${r.url} was switched off: ${r.disabled_reason ?? ''}` }));
}
