/**
 * Intl.DateTimeFormat objects are costly to build (tenths of a millisecond each) and a page
 * formats many dates, so each locale + options pair is built once and reused.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    // A handful of locales and zones per site: the map stays tiny, but bound it anyway.
    if (formatters.size > 500) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>();

/** An Intl.RelativeTimeFormat ("3 hours ago", "yesterday") for a locale, built once. */
export function relativeTimeFormat(locale: string): Intl.RelativeTimeFormat {
  let f = relativeFormatters.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    if (relativeFormatters.size > 100) relativeFormatters.clear();
    relativeFormatters.set(locale, f);
  }
  return f;
}
