import type { Generated, Selectable } from 'kysely';

/** An address that receives signed event deliveries. */
export interface WebhookEndpointTable {
  id: Generated<number>;
  /** http(s) URL without credentials; checked against private addresses when saved and when sent to. */
  url: string;
  /** JSON array of event names (webhook.events.ts). */
  events: string;
  /** `whsec_` + base64 of the signing key's bytes. */
  secret: string;
  /** 1: deliveries are queued; 0: switched off by an administrator or after failing for days. */
  enabled: number;
  description: string;
  created_at: string;
  updated_at: string;
  /** When the first of the current run of failures happened; null while it answers. */
  failing_since: string | null;
  /** Why it was switched off by Gazette (shown in the newsroom); null when on, or off by hand. */
  disabled_reason: string | null;
}
export type WebhookEndpoint = Selectable<WebhookEndpointTable>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event sent (or to be sent) to one endpoint: the unit of retry and the line of the delivery log. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  endpoint_id: number;
  event_type: string;
  /** The id of the article, comment… the event is about. */
  subject_id: number | null;
  /** The exact JSON body sent (signed as is). */
  payload: string;
  /** The `webhook-id` header: the same for every attempt (and a resend gets a new one). */
  msg_id: string;
  /** pending (waiting or retrying), delivered (a 2xx answer), failed (retries used up, or the endpoint is off). */
  status: DeliveryStatus;
  attempts: number;
  /** When a pending delivery is due; null once it has settled. */
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  response_code: number | null;
  /** The start of the last answer's body, bounded. */
  response_excerpt: string | null;
  /** Why the last attempt failed without an answer (timeout, refused address…). */
  error: string | null;
  duration_ms: number | null;
  created_at: string;
}
export type WebhookDelivery = Selectable<WebhookDeliveryTable>;
