import { dateTimeFormat } from './intl.js';

/**
 * Offsets already worked out, by zone and second: formatting to parts costs tens of microseconds,
 * and a page gives the same few instants (published, modified) several times.
 */
const offsets = new Map<string, number>();

/** Offset of a time zone from UTC at a given instant, in minutes (e.g. New York in winter: -300). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const second = Math.floor(at.getTime() / 1000);
  // UTC (the default setting) has none; an invalid date still throws below, as Intl does.
  if (timeZone === 'UTC' && Number.isFinite(second)) return 0;
  const key = `${timeZone}|${second}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetFromParts(timeZone, at);
    if (offsets.size >= 5000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function offsetFromParts(timeZone: string, at: Date): number {
  const parts = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO 8601 date or date-time. Without an offset it is read as wall-clock time in
 * `timeZone`. Returns undefined for anything else.
 */
export function parseDateTime(text: string, timeZone = 'UTC'): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', offset] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) {
    return undefined;
  }
  if (offset) {
    if (offset === 'Z') return check;
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    return new Date(wall - sign * minutes * 60000);
  }
  // Wall-clock time in the zone: correct by the zone's offset at (about) that instant.
  const guess = wall - zoneOffsetMinutes(timeZone, new Date(wall)) * 60000;
  return new Date(wall - zoneOffsetMinutes(timeZone, new Date(guess)) * 60000);
}
