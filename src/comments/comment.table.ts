import type { Generated, Selectable } from 'kysely';

export const COMMENT_STATUSES = ['pending', 'approved', 'rejected', 'spam', 'erased'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export interface CommenterTable {
  id: Generated<number>;
  /** Lower-cased; shown to moderators only, never to readers or public APIs. */
  email: string;
  name: string;
  approved_count: number;
  rejected_count: number;
  created_at: string;
  last_seen_at: string;
}

export interface CommentTable {
  id: Generated<number>;
  article_id: number;
  parent_id: number | null;
  /** The thread's top-level comment (the comment itself when it is one). */
  root_id: number | null;
  depth: number;
  commenter_id: number | null;
  name: string;
  /** Plain text, NFC-normalised and trimmed; escaped when rendered. */
  body: string;
  /** Hash of the body's words, to spot the same text sent twice. */
  body_hash: string;
  status: CommentStatus;
  /** JSON array of the reasons the pipeline held or refused it. */
  reasons: string;
  spam_score: number | null;
  /** The class the spam filter learnt this comment as ('spam' | 'ham'), so a changed decision can be unlearnt. */
  trained_as: string | null;
  /** HMAC of the client address with the site secret; never the address itself. */
  ip_hash: string | null;
  source: 'form' | 'api';
  open_reports: number;
  reject_reason: string | null;
  created_at: string;
  moderated_at: string | null;
}

export interface CommentReportTable {
  id: Generated<number>;
  comment_id: number;
  reason: string;
  ip_hash: string | null;
  created_at: string;
  resolved_at: string | null;
}

export interface ModerationLogTable {
  id: Generated<number>;
  comment_id: number | null;
  actor_user_id: number | null;
  actor_name: string;
  action: string;
  reason: string;
  created_at: string;
}

export type BanKind = 'email' | 'ip';

/** A ban applies while it is not lifted and not past `expires_at` (null: no end). */
export interface CommentBanTable {
  id: Generated<number>;
  /** `email`: one commenter, by their email; `ip`: everyone behind one client address. */
  kind: BanKind;
  /** Keyed hash of the email or address (hashEmail / hashIp), never the value itself. */
  value_hash: string;
  reason: string;
  created_at: string;
  expires_at: string | null;
  created_by_user_id: number | null;
  created_by_name: string;
  /** Whom the ban came from, so staff can see who it is (null once the commenter is erased). */
  commenter_id: number | null;
  comment_id: number | null;
  lifted_at: string | null;
  lifted_by_user_id: number | null;
  lifted_by_name: string | null;
  lift_reason: string | null;
}

export interface CommentWordTable {
  id: Generated<number>;
  kind: 'banned' | 'suspect';
  word: string;
}

export interface SpamTokenTable {
  token: string;
  spam: number;
  ham: number;
}

export interface SpamDocTable {
  class: string;
  count: number;
}

export type CommentRow = Selectable<CommentTable>;
export type CommenterRow = Selectable<CommenterTable>;
