import { describe, expect, it } from 'vitest';
import { rankRelated, terms } from '../../src/articles/related.js';

const c = (id: number, text: string, tagIds: number[] = [], publishedAt = `2026-11-${String(10 + id).padStart(2, '0')}T00:00:00Z`) => ({
  id,
  text,
  tagIds,
  publishedAt,
});

describe('terms', () => {
  it('keeps distinctive words only', () => {
    expect([...terms('The Council and the Budget: a 7-2 vote on it')]).toEqual(['council', 'budget', 'vote']);
  });
});

describe('rankRelated', () => {
  const target = { text: 'Council approves harbor budget after long session', tagIds: [1, 2] };

  it('puts shared tags first, then shared words, then the newest', () => {
    const order = rankRelated(target, [
      c(1, 'Nothing in common at all'),
      c(2, 'Harbor budget debate continues', []),
      c(3, 'Unrelated words here', [1, 2]),
      c(4, 'Another story entirely', [2]),
      c(5, 'Other unrelated news'),
    ]);
    expect(order).toEqual([3, 4, 2, 5, 1]);
  });

  it('weighs a shared tag above a shared word', () => {
    expect(rankRelated(target, [c(1, 'Council news'), c(2, 'Nothing', [1])])).toEqual([2, 1]);
  });

  it('breaks ties by newest, then by id', () => {
    const order = rankRelated(target, [
      c(1, 'Zebra', [], '2026-11-01T00:00:00Z'),
      c(2, 'Yak', [], '2026-11-03T00:00:00Z'),
      c(3, 'Xylophone', [], '2026-11-03T00:00:00Z'),
    ]);
    expect(order).toEqual([3, 2, 1]);
  });

  it('ignores stop words and case', () => {
    const order = rankRelated({ text: 'THE Mayor OF the city', tagIds: [] }, [
      c(1, 'the of and the'),
      c(2, 'mayor speaks', [], '2026-01-01T00:00:00Z'),
    ]);
    expect(order[0]).toBe(2);
  });

  it('returns every candidate once, and nothing for no candidates', () => {
    expect(rankRelated(target, [])).toEqual([]);
    expect(new Set(rankRelated(target, [c(1, 'a'), c(2, 'b'), c(3, 'c')])).size).toBe(3);
  });
});
