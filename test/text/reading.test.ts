import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countWords, readingMinutes } from '../../src/text/reading.js';

const fixture = readFileSync(new URL('../fixtures/reference-article.md', import.meta.url), 'utf8');
const referenceBody = fixture.slice(fixture.indexOf('\n---\n', 4) + 5);

describe('countWords', () => {
  it('counts the 466 words of the reference body', () => {
    expect(countWords(referenceBody)).toBe(466);
  });

  it('counts nothing in empty or markup-only text', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   \n\n ---\n\n* * *')).toBe(0);
  });

  it('ignores Markdown markup, link URLs and images', () => {
    expect(countWords('## A heading\n\n**Bold** and _italic_ [a link](https://example.com/some/long/path) ![alt text](/x.png)')).toBe(7);
    expect(countWords('- one\n- two\n\n> quoted words')).toBe(4);
    expect(countWords('```\ncode is not read\n```\nafter')).toBe(1);
  });

  it('reads hyphenated words, abbreviations and numbers as one word each', () => {
    expect(countWords('A late-night 7-2 vote in the U.S. cost $4.1 billion, or 1,200 dollars')).toBe(13);
  });

  it('counts words in any script', () => {
    expect(countWords('Zoë Müller élue à Łódź')).toBe(5);
  });
});

describe('readingMinutes', () => {
  it('is ceil(words / 200) by default', () => {
    expect(readingMinutes(466)).toBe(3);
    expect(readingMinutes(400)).toBe(2);
    expect(readingMinutes(401)).toBe(3);
  });

  it('is at least one minute', () => {
    expect(readingMinutes(0)).toBe(1);
    expect(readingMinutes(1)).toBe(1);
  });

  it('follows the words-per-minute setting', () => {
    expect(readingMinutes(466, 100)).toBe(5);
    expect(readingMinutes(466, 250)).toBe(2);
    expect(readingMinutes(466, 0)).toBe(466);
  });
});
