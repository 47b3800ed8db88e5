const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31536000],
  ['month', 2592000],
  ['week', 604800],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * The formatters of one locale, made on first use: building an Intl formatter loads the
 * locale's data and costs far more than formatting with it, so a page with no relative time
 * builds none and a page with many builds each once.
 */
interface Formatters {
  relative: Intl.RelativeTimeFormat;
  full: Intl.DateTimeFormat;
}
const byLocale = new Map<string, Formatters>();

function formattersFor(locale: string): Formatters {
  let found = byLocale.get(locale);
  if (!found) {
    found = {
      relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
      // What Date#toLocaleString shows, without a new formatter per call.
      full: new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
    };
    byLocale.set(locale, found);
  }
  return found;
}

/** "3 hours ago" for a time `seconds` away from now (negative: in the past); "just now" under a minute. */
export function relativeText(seconds: number, locale: string): string {
  const unit = UNITS.find(([, size]) => Math.abs(seconds) >= size);
  return unit ? formattersFor(locale).relative.format(Math.trunc(seconds / unit[1]), unit[0]) : 'just now';
}

/** Keeps "3 hours ago" true on a page that came from a cache; does nothing (and builds no formatter) when there is none. */
export function refreshRelativeTimes(root: ParentNode, locale = document.documentElement.lang || 'en'): void {
  const times = root.querySelectorAll<HTMLTimeElement>('time[data-relative]');
  if (times.length === 0) return;
  const now = Date.now();
  for (const el of times) {
    const at = Date.parse(el.dateTime);
    if (Number.isNaN(at)) continue;
    el.textContent = relativeText(Math.round((at - now) / 1000), locale);
    el.title = formattersFor(locale).full.format(at);
  }
}
