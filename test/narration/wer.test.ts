import { describe, expect, it } from 'vitest';
import { canonicalWords, interval, wordErrors, wordErrorsSplit } from '../../scripts/narration-wer.js';

describe('the narration benchmark scoring', () => {
  it('writes both sides the same way: case, punctuation, hyphens, digits, titles, spelled letters', () => {
    expect(canonicalWords('Dr. Chen met the U.S. envoy, twenty-four hours later.')).toEqual(
      canonicalWords('doctor chen met the u s envoy twenty four hours later'),
    );
    expect(canonicalWords('It rose 12 per cent')).toEqual(['it', 'rose', 'twelve', 'percent']);
    expect(canonicalWords("The mayor's plan")).toEqual(['the', 'mayors', 'plan']);
  });

  it('writes British and American spellings of one spoken word the same, and leaves other words alone', () => {
    expect(canonicalWords('The centre organised travellers, kilometres and programmes; Labour apologised')).toEqual(
      canonicalWords('the center organized travelers kilometers and programs labor apologized'),
    );
    expect(canonicalWords('prices rise, a promise, our tour, an exercise')).toEqual([
      'prices',
      'rise',
      'a',
      'promise',
      'our',
      'tour',
      'an',
      'exercise',
    ]);
  });

  it('counts substitutions, insertions and deletions against the reference', () => {
    const ref = canonicalWords('the council approved the budget');
    expect(wordErrors(ref, canonicalWords('the council approved the budget'))).toEqual({ errors: 0, words: 5 });
    expect(wordErrors(ref, canonicalWords('a council approved budget today'))).toEqual({ errors: 3, words: 5 });
  });

  it('takes a compound written apart (or together) as the same word', () => {
    expect(wordErrors(canonicalWords('across the eurozone'), canonicalWords('across the euro zone'))).toEqual({ errors: 0, words: 3 });
    expect(wordErrors(canonicalWords('a wild fire spread'), canonicalWords('a wildfire spread'))).toEqual({ errors: 0, words: 4 });
  });

  it('splits the errors at a word of the reference: the headline and what follows', () => {
    const said = canonicalWords('bank holds rates the bank left its rate unchanged');
    // "rates" misheard and two words inserted before it (headline: 3 words); "its" dropped after it.
    const heard = canonicalWords('bank holds is is rage the bank left rate unchanged');
    expect(wordErrorsSplit(said, heard, 3)).toEqual({ first: { errors: 3, words: 3 }, rest: { errors: 1, words: 6 } });
    expect(wordErrors(said, heard)).toEqual({ errors: 4, words: 9 });
    expect(wordErrorsSplit(said, said, 3)).toEqual({ first: { errors: 0, words: 3 }, rest: { errors: 0, words: 6 } });
  });

  it('gives a repeatable interval that holds the pooled rate and widens when texts disagree', () => {
    const alike = Array.from({ length: 10 }, () => ({ errors: 13, words: 100 }));
    expect(interval(alike)).toEqual([0.13, 0.13]);
    const mixed = [5, 25, 10, 20, 13, 13, 8, 18, 15, 3].map((errors) => ({ errors, words: 100 }));
    const [low, high] = interval(mixed);
    expect(low).toBeLessThan(0.13);
    expect(high).toBeGreaterThan(0.13);
    expect(high - low).toBeGreaterThan(0.04);
    expect(interval(mixed)).toEqual([low, high]);
  });
});
