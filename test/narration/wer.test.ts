import { describe, expect, it } from 'vitest';
import { canonicalWords, wordErrors } from '../../scripts/narration-wer.js';

describe('the narration benchmark scoring', () => {
  it('writes both sides the same way: case, punctuation, hyphens, digits, titles, spelled letters', () => {
    expect(canonicalWords('Dr. Chen met the U.S. envoy, twenty-four hours later.')).toEqual(
      canonicalWords('doctor chen met the u s envoy twenty four hours later'),
    );
    expect(canonicalWords('It rose 12 per cent')).toEqual(['it', 'rose', 'twelve', 'percent']);
    expect(canonicalWords("The mayor's plan")).toEqual(['the', 'mayors', 'plan']);
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
});
