import { describe, expect, it } from 'vitest';
import { parseDateTime, zoneOffsetMinutes } from '../../src/text/time.js';

const iso = (d: Date | undefined) => d?.toISOString();

describe('parseDateTime', () => {
  it('reads UTC and explicit offsets', () => {
    expect(iso(parseDateTime('2026-11-20T09:00:00Z'))).toBe('2026-11-20T09:00:00.000Z');
    expect(iso(parseDateTime('2026-11-20T09:00:00+02:00'))).toBe('2026-11-20T07:00:00.000Z');
    expect(iso(parseDateTime('2026-11-20T09:00:00-0530'))).toBe('2026-11-20T14:30:00.000Z');
    expect(iso(parseDateTime('2026-11-20T09:00:00.250Z'))).toBe('2026-11-20T09:00:00.250Z');
    expect(iso(parseDateTime('2026-11-20 09:00Z'))).toBe('2026-11-20T09:00:00.000Z');
  });

  it('reads a time without an offset as wall-clock time in the site time zone', () => {
    expect(iso(parseDateTime('2026-11-20T09:00', 'UTC'))).toBe('2026-11-20T09:00:00.000Z');
    expect(iso(parseDateTime('2026-11-20T09:00', 'America/New_York'))).toBe('2026-11-20T14:00:00.000Z');
    expect(iso(parseDateTime('2026-07-20T09:00', 'America/New_York'))).toBe('2026-07-20T13:00:00.000Z');
    expect(iso(parseDateTime('2026-11-20T09:00', 'Asia/Kolkata'))).toBe('2026-11-20T03:30:00.000Z');
    expect(iso(parseDateTime('2026-11-20', 'Europe/Paris'))).toBe('2026-11-19T23:00:00.000Z');
  });

  it('handles the days clocks change', () => {
    // 2026-03-08: New York springs forward at 02:00 (EST → EDT).
    expect(iso(parseDateTime('2026-03-08T01:30', 'America/New_York'))).toBe('2026-03-08T06:30:00.000Z');
    expect(iso(parseDateTime('2026-03-08T03:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // 2026-10-25: Paris falls back at 03:00 (CEST → CET).
    expect(iso(parseDateTime('2026-10-25T12:00', 'Europe/Paris'))).toBe('2026-10-25T11:00:00.000Z');
  });

  it('rejects unknown formats and impossible dates', () => {
    for (const bad of [
      '20/11/2026',
      'November 20, 2026',
      'tomorrow',
      '2026-13-01',
      '2026-02-30',
      '2026-11-20T25:00',
      '2026-11-20T09:61',
      '',
    ]) {
      expect(parseDateTime(bad), bad).toBeUndefined();
    }
  });
});

describe('zoneOffsetMinutes', () => {
  it('gives the offset at an instant', () => {
    expect(zoneOffsetMinutes('UTC', new Date('2026-01-01T00:00:00Z'))).toBe(0);
    expect(zoneOffsetMinutes('America/New_York', new Date('2026-01-15T12:00:00Z'))).toBe(-300);
    expect(zoneOffsetMinutes('America/New_York', new Date('2026-07-15T12:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes('Asia/Kathmandu', new Date('2026-07-15T12:00:00Z'))).toBe(345);
  });
});
