import { describe, expect, it } from 'vitest';
import {
  articleOpen,
  banned,
  botTraps,
  type Decision,
  type Draft,
  decide,
  duplicate,
  parentExists,
  RateLimited,
  type RuleContext,
  rateLimit,
  spamScore,
  tooManyLinks,
  trustedCommenter,
  validate,
  wordLists,
} from '../../src/comments/comment.rules.js';
import type { AppError } from '../../src/errors.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.service.js';

const draft = (over: Partial<Draft> = {}): Draft => ({
  name: 'Ana',
  email: 'ana@example.org',
  body: 'A thoughtful comment.',
  parentId: null,
  source: 'api',
  honeypot: '',
  formAgeMs: 10_000,
  ipHash: 'iphash',
  emailHash: 'emailhash',
  ...over,
});
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  now: new Date('2026-11-30T12:00:00Z'),
  policy: DEFAULT_SETTINGS,
  article: { commentsOpen: true, publishedAt: '2026-11-29T12:00:00Z', status: 'published' },
  words: { banned: [], suspect: [] },
  parent: async () => ({ status: 'approved' }),
  activeBan: async () => undefined,
  rateHit: async () => ({ ok: true, retryAfter: 0 }),
  hasRecentDuplicate: async () => false,
  spam: async () => ({ score: 0.5, trained: false }),
  history: async () => ({ approved: 0, rejected: 0 }),
  ...over,
});
const fresh = (): Decision => ({ status: 'pending', reasons: [], score: null, discarded: false });
const refusal = (v: unknown) => (v as { kind: string; error: AppError }).error;

describe('validate (length and emptiness)', () => {
  it('normalises: NFC, trimming, code points', () => {
    const v = validate({ name: '  Ana  Ruiz ', email: ' Ana@Example.ORG ', body: '  e\u0301  ' });
    expect(v).toEqual({ name: 'Ana Ruiz', email: 'ana@example.org', body: 'é', parentId: null });
    expect(validate({ name: 'a', email: 'a@b.co', body: '😀'.repeat(5000) }).body).toHaveLength(10000);
  });
  it.each([
    [{ name: '', email: 'a@b.co', body: 'x' }, 'name'],
    [{ name: 'n'.repeat(81), email: 'a@b.co', body: 'x' }, 'name'],
    [{ name: 'a', email: 'a@b', body: 'x' }, 'email'],
    [{ name: 'a', email: 'a@b.co', body: '' }, 'body'],
    [{ name: 'a', email: 'a@b.co', body: '😀'.repeat(5001) }, 'body'],
    [{ name: 'a', email: 'a@b.co', body: 'x', parent: '-1' }, 'parent'],
  ])('refuses %j on %s', (raw, field) => {
    expect(() => validate(raw)).toThrow(expect.objectContaining({ status: 422, field }));
  });
});

describe('each rule alone', () => {
  it('articleOpen: 404 unknown or unpublished, 403 closed or too old', () => {
    expect(refusal(articleOpen(draft(), ctx({ article: undefined }), fresh())).status).toBe(404);
    expect(refusal(articleOpen(draft(), ctx({ article: { commentsOpen: true, publishedAt: '', status: 'draft' } }), fresh())).status).toBe(
      404,
    );
    expect(
      refusal(
        articleOpen(draft(), ctx({ article: { commentsOpen: false, publishedAt: '2026-11-29T00:00:00Z', status: 'published' } }), fresh()),
      ).status,
    ).toBe(403);
    const old = ctx({
      policy: { ...DEFAULT_SETTINGS, commentsAutoCloseDays: 30 },
      article: { commentsOpen: true, publishedAt: '2026-10-01T00:00:00Z', status: 'published' },
    });
    expect(refusal(articleOpen(draft(), old, fresh())).status).toBe(403);
    expect(articleOpen(draft(), ctx(), fresh())).toBeUndefined();
  });
  it('parentExists: the parent must be an approved comment of the article', async () => {
    expect(await parentExists(draft(), ctx(), fresh())).toBeUndefined();
    expect(await parentExists(draft({ parentId: 5 }), ctx(), fresh())).toBeUndefined();
    expect(refusal(await parentExists(draft({ parentId: 5 }), ctx({ parent: async () => undefined }), fresh())).field).toBe('parent');
    expect(refusal(await parentExists(draft({ parentId: 5 }), ctx({ parent: async () => ({ status: 'pending' }) }), fresh())).status).toBe(
      422,
    );
  });
  it('botTraps: honeypot discards, fast or untokened forms are asked to confirm, the API is exempt', () => {
    expect(botTraps(draft({ source: 'form', honeypot: 'x' }), ctx(), fresh())).toEqual({ kind: 'discard', reason: 'honeypot filled in' });
    expect(refusal(botTraps(draft({ source: 'form', formAgeMs: 2999 }), ctx(), fresh())).code).toBe('confirm');
    expect(refusal(botTraps(draft({ source: 'form', formAgeMs: null }), ctx(), fresh())).status).toBe(422);
    expect(botTraps(draft({ source: 'form', formAgeMs: 3000 }), ctx(), fresh())).toBeUndefined();
    expect(botTraps(draft({ source: 'api', formAgeMs: 0 }), ctx(), fresh())).toBeUndefined();
  });
  it('rateLimit: asks the store with both keys and both rules; 429 carries Retry-After', async () => {
    let seen: unknown;
    const rateHit: RuleContext['rateHit'] = async (keys, rules) => {
      seen = { keys, rules };
      return { ok: true, retryAfter: 0 };
    };
    await rateLimit(draft(), ctx({ rateHit }), fresh());
    expect(seen).toEqual({
      keys: ['ip:iphash', 'email:emailhash'],
      rules: [
        { max: 1, windowMs: 10_000 },
        { max: 20, windowMs: 3_600_000 },
      ],
    });
    const err = refusal(await rateLimit(draft(), ctx({ rateHit: async () => ({ ok: false, retryAfter: 7 }) }), fresh()));
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).retryAfter).toBe(7);
  });
  it('duplicate: 409 on the field body', async () => {
    expect(refusal(await duplicate(draft(), ctx({ hasRecentDuplicate: async () => true }), fresh())).status).toBe(409);
    expect(await duplicate(draft(), ctx(), fresh())).toBeUndefined();
  });
  it('banned: refused with a 403 that says so, naming the end of a ban that has one', async () => {
    expect(await banned(draft(), ctx(), fresh())).toBeUndefined();
    const asked: string[] = [];
    const forever = refusal(
      await banned(
        draft(),
        ctx({
          activeBan: async (email, ip) => {
            asked.push(email, ip);
            return { kind: 'email', expires_at: null };
          },
        }),
        fresh(),
      ),
    );
    expect(asked).toEqual(['emailhash', 'iphash']);
    expect(forever).toMatchObject({ code: 'banned', status: 403, message: 'You can no longer comment on this site.' });
    const week = refusal(
      await banned(draft(), ctx({ activeBan: async () => ({ kind: 'email', expires_at: '2026-12-07T12:30:00.000Z' }) }), fresh()),
    );
    expect(week.message).toBe('You cannot comment on this site until 7 December 2026 at 12:30 UTC.');
    const address = refusal(
      await banned(draft(), ctx({ activeBan: async () => ({ kind: 'ip', expires_at: '2026-12-01T09:00:00.000Z' }) }), fresh()),
    );
    expect(address.message).toBe('You cannot comment on this site from this network address until 1 December 2026 at 09:00 UTC.');
  });
  it('wordLists: banned rejects, suspect holds, whole words only, accents and case folded', () => {
    const c = ctx({ words: { banned: ['scam'], suspect: ['idiot', 'free money'] } });
    expect(wordLists(draft({ body: 'This is a SCAM.' }), c, fresh())).toMatchObject({ kind: 'final', status: 'rejected' });
    expect(wordLists(draft({ body: 'Scamander river' }), c, fresh())).toBeUndefined();
    expect(wordLists(draft({ body: 'What an ÍDIOT' }), c, fresh())).toEqual({ kind: 'hold', reason: 'suspect words: idiot' });
    expect(wordLists(draft({ body: 'get free\n money' }), c, fresh())).toMatchObject({ kind: 'hold' });
  });
  it('tooManyLinks: more than the limit holds', () => {
    const body = 'http://a.example https://b.example www.c.example';
    expect(tooManyLinks(draft({ body }), ctx(), fresh())).toEqual({ kind: 'hold', reason: '3 links (limit 2)' });
    expect(tooManyLinks(draft({ body: 'http://a.example' }), ctx(), fresh())).toBeUndefined();
  });
  it('spamScore: recorded always; holds only when trained', async () => {
    expect(await spamScore(draft(), ctx({ spam: async () => ({ score: 0.99, trained: false }) }), fresh())).toEqual({
      kind: 'score',
      score: 0.99,
    });
    expect(await spamScore(draft(), ctx({ spam: async () => ({ score: 0.95, trained: true }) }), fresh())).toMatchObject({ kind: 'hold' });
  });
  it('trustedCommenter: only with the setting on, enough approvals, no rejection and no holds', async () => {
    const on = { ...DEFAULT_SETTINGS, commentsAutoApprove: 3 };
    expect(await trustedCommenter(draft(), ctx({ history: async () => ({ approved: 5, rejected: 0 }) }), fresh())).toBeUndefined();
    expect(
      await trustedCommenter(draft(), ctx({ policy: on, history: async () => ({ approved: 3, rejected: 0 }) }), fresh()),
    ).toMatchObject({ kind: 'approve' });
    expect(
      await trustedCommenter(draft(), ctx({ policy: on, history: async () => ({ approved: 9, rejected: 1 }) }), fresh()),
    ).toBeUndefined();
    const held = { ...fresh(), reasons: ['3 links'] };
    expect(await trustedCommenter(draft(), ctx({ policy: on, history: async () => ({ approved: 9, rejected: 0 }) }), held)).toBeUndefined();
  });
});

describe('decide (the whole pipeline)', () => {
  it('defaults to pending with the score recorded', async () => {
    expect(await decide(draft(), ctx())).toEqual({ status: 'pending', reasons: [], score: 0.5, discarded: false });
  });
  it('accumulates holds and stops at a final status', async () => {
    const c = ctx({ words: { banned: ['scam'], suspect: ['idiot'] } });
    expect((await decide(draft({ body: 'idiot http://a.example http://b.example http://c.example' }), c)).reasons).toHaveLength(2);
    expect((await decide(draft({ body: 'scam' }), c)).status).toBe('rejected');
  });
});
