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
