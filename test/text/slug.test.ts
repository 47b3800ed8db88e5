import { describe, expect, it } from 'vitest';
import { isValidSlug, toSlug } from '../../src/text/slug.js';

describe('toSlug', () => {
  it('lower-cases and hyphenates names', () => {
    expect(toSlug('James Thompson')).toBe('james-thompson');
    expect(toSlug('Council Approves Budget After Late-Night Session')).toBe('council-approves-budget-after-late-night-session');
  });

  it('transliterates accents to ASCII', () => {
    expect(toSlug('Zoë Müller')).toBe('zoe-mueller');
    expect(toSlug('Ça va, Ørsted & Łódź')).toBe('ca-va-orsted-and-lodz');
    expect(toSlug('Café Société')).toBe('cafe-societe');
  });

  it('drops punctuation and trims hyphens', () => {
    expect(toSlug('  "Hello," she said — again!  ')).toBe('hello-she-said-again');
    expect(toSlug('U.S. Concerns')).toBe('u-s-concerns');
  });

  it('keeps slugs short', () => {
    const slug = toSlug('word '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(isValidSlug(slug)).toBe(true);
  });

  it('gives text without a Latin spelling a stable, distinct, valid slug', () => {
    const a = toSlug('日本語');
    expect(isValidSlug(a)).toBe(true);
    expect(toSlug('日本語')).toBe(a);
    expect(toSlug('中文')).not.toBe(a);
  });

  it('always gives a valid slug', () => {
    for (const text of ['', '!!!', 'Ελληνικά', 'a--b', '2026 Budget']) expect(isValidSlug(toSlug(text))).toBe(true);
  });
});

describe('isValidSlug', () => {
  it('accepts lower-case ASCII words joined by single hyphens', () => {
    expect(isValidSlug('council-approves-budget')).toBe(true);
    expect(isValidSlug('2026')).toBe(true);
  });

  it('rejects anything else', () => {
    for (const bad of ['Upper', 'two--hyphens', '-lead', 'trail-', 'spa ce', 'zoë', 'a/b', '', 'x'.repeat(121)]) {
      expect(isValidSlug(bad), bad).toBe(false);
    }
  });
});
