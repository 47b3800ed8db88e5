const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31536000],
  ['month', 2592000],
  ['week', 604800],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * The formatters of one locale, each made on first use: building an Intl formatter loads the
 * locale's data and costs far more than formatting with it (tens of milliseconds on a phone), so
 * a page with no relative time builds none, a page with many builds each once, and the two are
 * built in different tasks (see `refreshRelativeTimes`).
 */
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const fullFormats = new Map<string, Intl.DateTimeFormat>();

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let found = relativeFormats.get(locale);
  if (!found) {
    found = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale, found);
  }
  return found;
}

function fullFormat(locale: string): Intl.DateTimeFormat {
  let found = fullFormats.get(locale);
  if (!found) {
    // What Date#toLocaleString shows, without a new formatter per call.
    found = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    fullFormats.set(locale, found);
  }
  return found;
}

/** "3 hours ago" for a time `seconds` away from now (negative: in the past); "just now" under a minute. */
export function relativeText(seconds: number, locale: string): string {
  const unit = UNITS.find(([, size]) => Math.abs(seconds) >= size);
  return unit ? relativeFormat(locale).format(Math.trunc(seconds / unit[1]), unit[0]) : 'just now';
}

/**
 * Keeps "3 hours ago" true on a page that came from a cache, and gives each time its full date as
 * a tooltip (in a later task); does nothing (and builds no formatter) when there is none.
 */
export async function refreshRelativeTimes(root: ParentNode, locale = document.documentElement.lang || 'en'): Promise<void> {
  const times = [...root.querySelectorAll<HTMLTimeElement>('time[data-relative]')]
    .map((el) => ({ el, at: Date.parse(el.dateTime) }))
    .filter((t) => !Number.isNaN(t.at));
  if (times.length === 0) return;
  const now = Date.now();
  for (const { el, at } of times) el.textContent = relativeText(Math.round((at - now) / 1000), locale);
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const { el, at } of times) el.title = fullFormat(locale).format(at);
}
