import { describe, expect, it } from 'vitest';
import { repairText, wellFormed } from '../../src/web/text-input.js';

describe('text input repair', () => {
  it('replaces each lone surrogate with U+FFFD and keeps pairs', () => {
    expect(wellFormed('a\ud800b')).toBe('a\uFFFDb');
    expect(wellFormed('\udc00')).toBe('\uFFFD');
    expect(wellFormed('\ud800\ud800\udc00')).toBe('\uFFFD\ud800\udc00');
    expect(wellFormed('end \ud83d')).toBe('end \uFFFD');
    expect(wellFormed('😀 plain')).toBe('😀 plain');
  });

  it('repairs every string and key of a nested value in place', () => {
    const value = { a: 'x\ud800', list: ['ok', { deep: '\udfff' }], '\ud801key': 1, n: 2, none: null };
    const same = repairText(value);
    expect(same).toBe(value);
    expect(value).toEqual({ a: 'x\uFFFD', list: ['ok', { deep: '\uFFFD' }], '\uFFFDkey': 1, n: 2, none: null });
    expect(repairText('\ud800')).toBe('\uFFFD');
    const bytes = Buffer.from([0xed, 0xa0, 0x80]);
    expect(repairText(bytes)).toBe(bytes);
  });
});
