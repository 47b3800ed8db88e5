import { AppError } from '../errors.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { RateResult, RateRule } from './comment.limiter.js';
import { COMMENT_MAX, codePoints, countLinks, EMAIL_MAX, isBlank, matchWords, NAME_MAX, normalizeText } from './comment.text.js';
import { SPAM_HOLD_AT } from './spam.model.js';
import type { SpamVerdict } from './spam.service.js';

/** What a reader sent, before any rule ran. */
export interface RawSubmission {
  name: unknown;
  email: unknown;
  body: unknown;
  parent?: unknown;
}

/** A submission after the length rules: normalised fields, ready for the other rules. */
export interface Draft {
  name: string;
  email: string;
  body: string;
  parentId: number | null;
  source: 'form' | 'api';
  /** The hidden field bots fill in (HTML form only). */
  honeypot: string;
  /** Milliseconds between the form's signed timing stamp and its arrival; null when the stamp or CSRF token is missing or bad. */
  formAgeMs: number | null;
  ipHash: string;
  emailHash: string;
}

export type CommentPolicy = Pick<
  SiteSettings,
  | 'commentsMaxLinks'
  | 'commentsAutoCloseDays'
  | 'commentsAutoApprove'
  | 'commentsRateSeconds'
  | 'commentsRatePerHour'
  | 'commentsMinFillSeconds'
>;

/** What the rules may look up; the service backs it with the database, tests with plain values. */
export interface RuleContext {
  now: Date;
  policy: CommentPolicy;
  article: { commentsOpen: boolean; publishedAt: string; status: string } | undefined;
  words: { banned: string[]; suspect: string[] };
  parent(id: number): Promise<{ status: string } | undefined>;
  /** The ban in force for this email or address, if any. */
  activeBan(emailHash: string, ipHash: string): Promise<{ kind: 'email' | 'ip'; expires_at: string | null } | undefined>;
  rateHit(keys: string[], rules: RateRule[]): Promise<RateResult>;
  hasRecentDuplicate(draft: Draft, since: Date): Promise<boolean>;
  spam(draft: Draft): Promise<SpamVerdict>;
  history(email: string): Promise<{ approved: number; rejected: number }>;
}

/** A rule's answer: nothing to say, or one of these. */
export type Verdict =
  | { kind: 'refuse'; error: AppError }
  | { kind: 'discard'; reason: string }
  | { kind: 'final'; status: 'rejected' | 'spam'; reason: string }
  | { kind: 'hold'; reason: string }
  | { kind: 'score'; score: number }
  | { kind: 'approve'; reason: string };

export interface Decision {
  status: 'pending' | 'approved' | 'rejected' | 'spam';
  reasons: string[];
  score: number | null;
  /** Bots: answer as if accepted, store nothing. */
  discarded: boolean;
}

/** Thrown for too many comments; carries the Retry-After seconds. */
export class RateLimited extends AppError {
  constructor(readonly retryAfter: number) {
    super('rate_limited', `You are commenting too fast. Please wait ${retryAfter} seconds and try again.`);
  }
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]{2,}$/;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** Length and emptiness of name, email and body; throws a 422 naming the field, or returns the normalised values. */
export function validate(raw: RawSubmission): { name: string; email: string; body: string; parentId: number | null } {
  const name = normalizeText(str(raw.name)).replace(/\s+/g, ' ');
  const email = normalizeText(str(raw.email)).toLowerCase();
  const body = normalizeText(str(raw.body));
  if (isBlank(name)) throw new AppError('invalid', 'Please enter your name.', 'name');
  if (codePoints(name) > NAME_MAX) throw new AppError('invalid', `Your name can have at most ${NAME_MAX} characters.`, 'name');
  if (!email) throw new AppError('invalid', 'Please enter your email address (it is never shown).', 'email');
  if (email.length > EMAIL_MAX || !EMAIL.test(email)) throw new AppError('invalid', 'Please enter a valid email address.', 'email');
  if (isBlank(body)) throw new AppError('invalid', 'Please write a comment.', 'body');
  const n = codePoints(body);
  if (n > COMMENT_MAX) {
    throw new AppError(
      'invalid',
      `Your comment has ${n} characters; the limit is ${COMMENT_MAX}. Please shorten it by ${n - COMMENT_MAX}.`,
      'body',
    );
  }
  const p = str(raw.parent).trim();
  if (p !== '' && !/^[1-9]\d{0,9}$/.test(p)) throw new AppError('invalid', 'The comment you are replying to does not exist.', 'parent');
  return { name, email, body, parentId: p === '' ? null : Number(p) };
}

type Rule = (draft: Draft, ctx: RuleContext, decision: Decision) => Promise<Verdict | undefined> | Verdict | undefined;

const DAY = 86_400_000;

/** The article exists, is published, and takes comments (per article, and not past the auto-close age). */
export const articleOpen: Rule = (_d, ctx) => {
  const a = ctx.article;
  if (a?.status !== 'published') return { kind: 'refuse', error: new AppError('not_found', 'There is no such article.') };
  const closed = new AppError('closed', 'Comments are closed for this article.');
  if (!a.commentsOpen) return { kind: 'refuse', error: closed };
  const days = ctx.policy.commentsAutoCloseDays;
  if (days > 0 && a.publishedAt && ctx.now.getTime() - Date.parse(a.publishedAt) > days * DAY) return { kind: 'refuse', error: closed };
  return undefined;
};

/** A reply must answer an approved comment of the same article. */
export const parentExists: Rule = async (d, ctx) => {
  if (d.parentId === null) return undefined;
  const parent = await ctx.parent(d.parentId);
  if (parent?.status !== 'approved') {
    return { kind: 'refuse', error: new AppError('invalid', 'The comment you are replying to does not exist.', 'parent') };
  }
  return undefined;
};

/** The HTML form's bot traps: the honeypot (silently dropped) and the minimum fill-in time (asked to send again). */
export const botTraps: Rule = (d, ctx) => {
  if (d.source !== 'form') return undefined;
  if (d.honeypot.trim() !== '') return { kind: 'discard', reason: 'honeypot filled in' };
  if (d.formAgeMs === null || d.formAgeMs < ctx.policy.commentsMinFillSeconds * 1000) {
    return {
      kind: 'refuse',
      error: new AppError('confirm', 'Please check your comment and press “Post comment” again to send it.', 'form'),
    };
  }
  return undefined;
};

/** Per client address and per email: one comment per N seconds and M per hour. */
export const rateLimit: Rule = async (d, ctx) => {
  const { commentsRateSeconds: seconds, commentsRatePerHour: perHour } = ctx.policy;
  const rules: RateRule[] = [];
  if (seconds > 0) rules.push({ max: 1, windowMs: seconds * 1000 });
  if (perHour > 0) rules.push({ max: perHour, windowMs: 3_600_000 });
  if (rules.length === 0) return undefined;
  const result = await ctx.rateHit([`ip:${d.ipHash}`, `email:${d.emailHash}`], rules);
  return result.ok ? undefined : { kind: 'refuse', error: new RateLimited(result.retryAfter) };
};

/** The same text from the same commenter (email or address) within a day is refused. */
export const duplicate: Rule = async (d, ctx) => {
  if (await ctx.hasRecentDuplicate(d, new Date(ctx.now.getTime() - DAY))) {
    return { kind: 'refuse', error: new AppError('duplicate', 'You have already posted this comment.', 'body') };
  }
  return undefined;
};

const UNTIL = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** What a banned commenter (or someone behind a banned address) is told. */
export function banMessage(ban: { kind: 'email' | 'ip'; expires_at: string | null }): string {
  const until = ban.expires_at ? ` until ${UNTIL.format(new Date(ban.expires_at))} UTC` : '';
  if (ban.kind === 'ip') return `You cannot comment on this site from this network address${until}.`;
  return until ? `You cannot comment on this site${until}.` : 'You can no longer comment on this site.';
}

/** Banned commenters and addresses are told plainly that they cannot comment; nothing is stored. */
export const banned: Rule = async (d, ctx) => {
  const ban = await ctx.activeBan(d.emailHash, d.ipHash);
  return ban ? { kind: 'refuse', error: new AppError('banned', banMessage(ban)) } : undefined;
};

/** Banned words reject; suspect words hold for a moderator. */
export const wordLists: Rule = (d, ctx) => {
  const text = `${d.name}\n${d.body}`;
  const bad = matchWords(text, ctx.words.banned);
  if (bad.length) return { kind: 'final', status: 'rejected', reason: `banned words: ${bad.join(', ')}` };
  const suspect = matchWords(text, ctx.words.suspect);
  if (suspect.length) return { kind: 'hold', reason: `suspect words: ${suspect.join(', ')}` };
  return undefined;
};

export const tooManyLinks: Rule = (d, ctx) => {
  const n = countLinks(d.body);
  return n > ctx.policy.commentsMaxLinks ? { kind: 'hold', reason: `${n} links (limit ${ctx.policy.commentsMaxLinks})` } : undefined;
};

/** The learnt spam score: always recorded; it holds a comment only once the model has learnt enough. */
export const spamScore: Rule = async (d, ctx, decision) => {
  const verdict = await ctx.spam(d);
  decision.score = verdict.score;
  if (verdict.trained && verdict.score >= SPAM_HOLD_AT) return { kind: 'hold', reason: `likely spam (score ${verdict.score.toFixed(2)})` };
  return { kind: 'score', score: verdict.score };
};

/** Optionally, commenters with enough approved comments and no rejection skip the queue (unless something held them). */
export const trustedCommenter: Rule = async (d, ctx, decision) => {
  const needed = ctx.policy.commentsAutoApprove;
  if (needed <= 0 || decision.reasons.length > 0) return undefined;
  const h = await ctx.history(d.email);
  return h.approved >= needed && h.rejected === 0 ? { kind: 'approve', reason: `trusted commenter (${h.approved} approved)` } : undefined;
};

/** The order matters: cheap and certain rules first, learnt and lenient ones last. Everything else stays pending. */
export const RULES: Rule[] = [
  articleOpen,
  parentExists,
  botTraps,
  banned,
  rateLimit,
  duplicate,
  wordLists,
  tooManyLinks,
  spamScore,
  trustedCommenter,
];

/** Runs the rules in order; a refusal throws, a final status or discard stops, holds accumulate. */
export async function decide(draft: Draft, ctx: RuleContext, rules: Rule[] = RULES): Promise<Decision> {
  const decision: Decision = { status: 'pending', reasons: [], score: null, discarded: false };
  for (const rule of rules) {
    const v = await rule(draft, ctx, decision);
    if (!v) continue;
    switch (v.kind) {
      case 'refuse':
        throw v.error;
      case 'discard':
        return { ...decision, discarded: true, reasons: [v.reason] };
      case 'final':
        return { ...decision, status: v.status, reasons: [...decision.reasons, v.reason] };
      case 'hold':
        decision.reasons.push(v.reason);
        break;
      case 'score':
        decision.score = v.score;
        break;
      case 'approve':
        return { ...decision, status: 'approved', reasons: [v.reason] };
    }
  }
  return decision;
}
