import { describe, expect, it } from 'vitest';
import { checkComment } from '../../client/lib/comment-form.js';
import { countCharacters } from '../../client/lib/counter.js';
import { MemoryRateLimitStore } from '../../src/comments/comment.limiter.js';
import { bodyHash, codePoints, linkify, paragraphs } from '../../src/comments/comment.text.js';
import { signStamp, stampAge } from '../../src/comments/comment.token.js';
import { spamProbability, tokenize } from '../../src/comments/spam.model.js';
import { expectSlidingWindow } from './limits.helpers.js';

describe('comment text', () => {
  it('counts code points the same on server and client', () => {
    for (const s of ['😀😀', ' e\u0301 ', '👩‍👩‍👧', 'plain']) expect(countCharacters(s)).toBe(codePoints(s.normalize('NFC').trim()));
    expect(checkComment({ name: 'a', email: 'a@b.co', body: '😀'.repeat(5000) })).toBeNull();
    expect(checkComment({ name: 'a', email: 'a@b.co', body: '😀'.repeat(5001) })?.field).toBe('body');
    expect(checkComment({ name: '', email: 'a@b.co', body: 'x' })?.field).toBe('name');
  });
  it('links http(s) only, leaving trailing punctuation as text', () => {
    expect(linkify('see https://example.org/a?b=1. and javascript:alert(1)')).toEqual([
      { text: 'see ' },
      { href: 'https://example.org/a?b=1', text: 'https://example.org/a?b=1' },
      { text: '. and javascript:alert(1)' },
    ]);
    expect(paragraphs('one\ntwo\n\n\nthree')).toEqual([['one', 'two'], ['three']]);
  });
  it('hashes bodies ignoring case and spacing', () => {
    expect(bodyHash('Hello   World')).toBe(bodyHash('hello world'));
    expect(bodyHash('hello world!')).not.toBe(bodyHash('hello world'));
  });
});

describe('form timing stamps', () => {
  it('are signed, expire, and cannot be forged', () => {
    const now = Date.now();
    expect(stampAge('k', signStamp('k', now - 5000), now)).toBe(5000);
    expect(stampAge('other', signStamp('k', now), now)).toBeNull();
    expect(stampAge('k', `${now - 60_000}.AAAAAAAAAAAAAAAAAAAAAA`, now)).toBeNull();
    expect(stampAge('k', signStamp('k', now - 2 * 86_400_000), now)).toBeNull();
    expect(stampAge('k', undefined, now)).toBeNull();
  });
});

describe('the memory rate limiter', () => {
  it('allows one per window and says when to retry', async () => {
    await expectSlidingWindow(new MemoryRateLimitStore());
  });
});

describe('the spam model', () => {
  it('knows nothing at first and learns from counts', () => {
    const tokens = tokenize('Bot', 'cheap pills http://pills.example');
    expect(tokens).toEqual(expect.arrayContaining(['cheap', 'pills', 'host:pills.example', 'links:1']));
    expect(spamProbability(tokens, new Map(), { spam: 0, ham: 0 })).toBe(0.5);
    const counts = new Map([
      ['cheap', { spam: 9, ham: 0 }],
      ['pills', { spam: 9, ham: 1 }],
      ['council', { spam: 0, ham: 9 }],
    ]);
    expect(spamProbability(tokens, counts, { spam: 10, ham: 10 })).toBeGreaterThan(0.95);
    expect(spamProbability(['council'], counts, { spam: 10, ham: 10 })).toBeLessThan(0.1);
  });
});
