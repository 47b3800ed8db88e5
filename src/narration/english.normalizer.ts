import {
  ABBREVIATIONS,
  CURRENCIES,
  DOLLAR_PREFIXES,
  DOTTED_WORDS,
  LENGTH_WORDS,
  MODEL_MAKERS,
  MONTH_ABBREVIATIONS,
  MONTHS,
  NOT_A_NOUN,
  REGNAL_TITLES,
  SCALE_WORDS,
  SPELLED,
  STATES,
  TITLES,
  UNITS,
  WORD_ACRONYMS,
  YEAR_VERBS,
} from './english.lexicon.js';
import { cardinal, digitByDigit, fraction, number, ordinal, year } from './numbers.speller.js';

type Rule = [RegExp, (...groups: string[]) => string];

const MONTH_NAMES = MONTHS.join('|');
const MONTH_ABBR = Object.keys(MONTH_ABBREVIATIONS).join('|');
const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const isYear = (s: string) => /^\d{4}$/.test(s) && Number(s) >= 1100 && Number(s) <= 2099;
const hour = (h: string) => cardinal(Number(h));
const minutes = (m: string) => (m === '00' ? '' : Number(m) < 10 ? ` oh ${cardinal(Number(m))}` : ` ${cardinal(Number(m))}`);

const YEAR_BEFORE = new RegExp(
  String.raw`\b(?:${MONTH_NAMES}|in|since|by|until|till|of|from|before|after|during|through|to|and|or|year|early|late|mid|spring|summer|autumn|fall|winter)\s+$`,
  'i',
);

/** "in 2024 prices fell" is a year, "2024 runners" a count: the words around the number decide. */
function looksLikeYear(text: string, at: number, length: number): boolean {
  if (YEAR_BEFORE.test(text.slice(Math.max(0, at - 20), at))) return true;
  const next = /^\s+([a-z]+)\b/.exec(text.slice(at + length))?.[1];
  return !next || YEAR_VERBS.has(next) || !next.endsWith('s');
}

function pluralise(words: string): string {
  if (words.endsWith('y')) return `${words.slice(0, -1)}ies`;
  if (words.endsWith('x')) return `${words}es`;
  return `${words}s`;
}

function spell(letters: string): string {
  return [...letters.replace(/\./g, '')].join(' ');
}

/** "a $5 million budget": an amount before a noun is an adjective, and its currency stays singular. */
function beforeNoun(after: string): boolean {
  const next = /^\s+([A-Za-z][a-z-]*)\b/.exec(after)?.[1];
  if (!next || NOT_A_NOUN.has(next.toLowerCase())) return false;
  return !/(?:ed|ly)$/.test(next);
}

function money(symbol: string, amount: string, scale: string | undefined, adjective: boolean): string {
  const c = CURRENCIES[symbol];
  if (scale) return `${number(amount)} ${SCALE_WORDS[scale.toLowerCase()]} ${adjective ? c.one : c.many}`;
  if (adjective && !amount.includes('.')) return `${number(amount)} ${c.one}`;
  const [whole, cents = ''] = amount.replace(/,/g, '').split('.');
  const units = Number(whole);
  const parts: string[] = [];
  if (units || !cents) parts.push(`${cardinal(whole)} ${units === 1 ? c.one : c.many}`);
  if (cents && Number(cents)) {
    const n = Number(cents.padEnd(2, '0').slice(0, 2));
    parts.push(`${cardinal(n)} ${n === 1 ? c.cent : c.cents}`);
  }
  return parts.join(' and ');
}

function date(month: string, day: string, y?: string): string {
  return `${month} ${ordinal(day)}${y ? `, ${year(y)}` : ''}`;
}

/** How the site's locale writes and says dates and units. */
interface Style {
  /** "5/11" is the 5th of November (most of the world) rather than May 11th (the United States). */
  dayFirst: boolean;
  /** "metres" rather than "meters". */
  british: boolean;
}

function styleOf(locale: string): Style {
  const region = locale.split(/[-_]/)[1]?.toUpperCase() ?? 'US';
  const american = ['US', 'PH', 'FM', 'MH', 'PW'].includes(region);
  return { dayFirst: !american, british: !american && region !== 'CA' };
}

function sayDate(style: Style, month: number, day: number, y?: string): string {
  const name = MONTHS[month - 1];
  if (style.dayFirst) return `the ${ordinal(day)} of ${name}${y ? ` ${year(y)}` : ''}`;
  return date(name, String(day), y);
}

/** "30/11", "11/30/2026", "5/11": a date when it can only be one, else by the locale's order. Fractions stay fractions. */
function numericDate(style: Style, a: string, b: string, y?: string): string | undefined {
  const x = Number(a);
  const z = Number(b);
  if (!x || !z || x > 31 || z > 31 || (x === 24 && z === 7)) return undefined;
  const fullYear = y ? (y.length === 2 ? `20${y}` : y) : undefined;
  if (x > 12 && z > 12) return undefined;
  if (x > 12) return sayDate(style, z, x, fullYear);
  if (z > 12) return sayDate(style, x, z, fullYear);
  if (!y && x < z && z <= 10) return undefined;
  return style.dayFirst ? sayDate(style, z, x, fullYear) : sayDate(style, x, z, fullYear);
}

function unitWord(style: Style, unit: string, many: boolean): string {
  const word = UNITS[unit][many ? 1 : 0];
  return style.british ? word.replace(/meter/g, 'metre') : word;
}

/** Telephone numbers are read digit by digit, a pause between the groups. */
function phone(text: string): string {
  return text
    .replace(/^\+/, 'plus ')
    .split(/[\s.()-]+/)
    .filter(Boolean)
    .map((group) => (/^\d+$/.test(group) ? digitByDigit(group) : group))
    .join(', ')
    .replace(/^plus, /, 'plus ');
}

/** A 24-hour time: "15:00" → "three P M", "00:30" → "twelve thirty A M". */
function clock(h: string, m: string): string {
  const n = Number(h);
  if (n > 23) return `${cardinal(n)}${minutes(m)}`;
  if (n === 0 && m === '00') return 'midnight';
  if (n === 12 && m === '00') return 'noon';
  if (n >= 13 || n === 0 || (h.length === 2 && h.startsWith('0'))) {
    const twelve = n % 12 === 0 ? 12 : n % 12;
    return `${cardinal(twelve)}${minutes(m)} ${n >= 12 ? 'P' : 'A'} M`;
  }
  return m === '00' ? `${hour(h)} o'clock` : `${hour(h)}${minutes(m)}`;
}

/** "A320" → "A three twenty"; "747" → "seven four seven". */
function model(digits: string): string {
  if (digits.length === 3 && Number(digits.slice(1)) >= 10) return `${digitByDigit(digits[0])} ${cardinal(digits.slice(1))}`;
  return digitByDigit(digits);
}

/** A Roman numeral from II to XXX as a number ("VI" → 6); undefined for anything else. */
function roman(text: string): number | undefined {
  const m = /^(X{0,3})(IX|IV|V?I{0,3})$/.exec(text);
  if (!m || text.length === 0 || text === 'I') return undefined;
  const ones: Record<string, number> = { '': 0, I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8, IX: 9 };
  return m[1].length * 10 + ones[m[2]];
}

/** "G20", "COP28", "5G": the letters as the abbreviation is said, the number as a number. */
function code(letters: string, digits: string): string {
  const said = WORD_ACRONYMS[letters] ?? (letters.length <= 3 || SPELLED_SET.has(letters) ? spell(letters) : letters);
  return `${said} ${cardinal(digits)}`;
}

/** Ambiguous as abbreviations: in an all-capital headline they are the ordinary words. */
const CAPITAL_WORDS = new Set(['US', 'WHO', 'IT', 'AM', 'PM', 'AS', 'IS', 'ICE', 'AIDS']);
const SPELLED_SET = new Set(SPELLED);

/**
 * "TELL US WHAT YOU THINK": three or more all-capital words in a row are a shouted headline, said
 * as words. Known abbreviations inside it ("FBI") keep their capitals.
 */
function unshout(run: string): string {
  const words = run.match(/[\p{Lu}][\p{Lu}'’-]*/gu) ?? [];
  // "US, UK, EU": a list of abbreviations, not a shouted headline.
  if (words.every((w) => SPELLED_SET.has(w) || WORD_ACRONYMS[w] || w.length === 1)) return run;
  return run.replace(/[\p{Lu}][\p{Lu}'’-]*/gu, (w) => {
    if (SPELLED_SET.has(w) && !CAPITAL_WORDS.has(w)) return w;
    if (WORD_ACRONYMS[w]) return WORD_ACRONYMS[w];
    return w.charAt(0) + w.slice(1).toLowerCase();
  });
}

function url(text: string): string {
  const bare = text.replace(/^https?:\/\//i, '').replace(/\/$/, '');
  return bare
    .replace(/^www\./i, 'w w w dot ')
    .replace(/\./g, ' dot ')
    .replace(/\//g, ' slash ')
    .replace(/[-_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The ordered rewriting rules for English news text. Order matters: specific patterns (money,
 * dates, times, ranges) must run before the general number rule turns their digits into words.
 */
const buildRules = (style: Style): Rule[] => [
  // Addresses first: their dots and digits are not sentences or numbers.
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, (m) => m.replace(/@/, ' at ').replace(/\./g, ' dot ')],
  [/\b(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>".,;:!?)]/gi, url],
  [/\b[a-z0-9-]+\.(?:com|org|net|gov|edu|io)\b/gi, url],

  // Shouted headlines, before anything treats their words as abbreviations.
  [/\b\p{Lu}[\p{Lu}'’-]*(?:[\s,:]+\p{Lu}[\p{Lu}'’-]*\b){2,}/gu, unshout],

  // Telephone numbers: "0800 123 4567", "1-800-555-0199", "(555) 123-4567", "+44 20 7946 0958".
  [/(?<![\w.])\+\d{1,3}(?:[ -]\(?\d{1,4}\)?){2,4}(?![\w.]?\d)/g, phone],
  [/\b1-\d{3}-\d{3}-\d{4}\b/g, phone],
  [/\(\d{3}\)\s?\d{3}-\d{4}\b/g, phone],
  [/\b\d{3}-\d{3}-\d{4}\b/g, phone],
  [/\b0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}\b/g, phone],

  // A name or number with a plus: "OPEC+", "Disney+", "C++", "18+".
  [/(?<=[\p{L}\d])(\+{1,2})(?=$|[\s,.;:!?)'’])/gu, (_m, plus: string) => (plus.length === 2 ? ' plus plus' : ' plus')],

  // Model numbers: "Boeing 747", "737 MAX", "Airbus A320".
  [new RegExp(String.raw`\b(${MODEL_MAKERS.join('|')})\s+(\d{3,4})\b`, 'g'), (_m, maker, d) => `${maker} ${digitByDigit(d)}`],
  [/\b(7\d7)(?=\s+(?:MAX|Max|jets?|airliners?|aircraft|planes?|Dreamliners?)\b)/g, (_m, d) => digitByDigit(d)],
  [/\b(A|B|F|C|MD|Su|Tu|An|Il)-?(\d{2,3})(?=(?:neo)?\b)/g, (_m, l, d) => `${spell(l.toUpperCase())} ${model(d)}`],

  // Letters and a number as one name: "the G20", "COP28", "5G networks".
  [/\b(\p{Lu}{1,5})(\d{1,3})\b(?![.,]\d)/gu, (_m, letters, digits) => code(letters, digits)],
  [/\b(\d)G\b/g, (_m, d) => `${cardinal(d)} G`],

  // Regnal numbers: "King Charles III" → "the third"; "World War II" → "two".
  [/\bWorld War (II|I)\b/g, (_m, n) => `World War ${n === 'I' ? 'one' : 'two'}`],
  [
    new RegExp(String.raw`\b(${REGNAL_TITLES.join('|')})\s+(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?)\s+([IVX]{1,5})\b`, 'gu'),
    (m, title, name, numeral) => {
      const n = roman(numeral);
      return n ? `${title} ${name} the ${ordinal(n)}` : m;
    },
  ],

  // Quotation marks and dashes become pauses; apostrophes stay.
  [/(\p{L})[’'](\p{L})/gu, (_m, a, b) => `${a}'${b}`],
  [/(\p{L}|\d) +["“‘«]/gu, (_m, a) => `${a}, `],
  [/["”’»] +(?=\p{Ll})/gu, () => ', '],
  [/["“”‘’«»]/g, () => ''],
  [/\s*(?:—|--|–(?!\d))\s*/g, () => ', '],
  [/\s+-\s+/g, () => ', '],
  [/\s*\(\s*/g, () => ', '],
  [/\s*\)/g, () => ','],
  [/…/g, () => '...'],

  // Money: "US$5bn", "$412 million", "$1.5bn", "$12.50", "£3"; "a $5 million budget" is an adjective.
  [
    new RegExp(
      String.raw`\b(${Object.keys(DOLLAR_PREFIXES).join('|')})\$\s?(${NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?`,
      'g',
    ),
    (m, prefix, amount, scale, at, all) => {
      const said = money('$', amount, scale, beforeNoun(all.slice(Number(at) + m.length)));
      return said.replace(/(dollars?)$/, `${DOLLAR_PREFIXES[prefix]} $1`);
    },
  ],
  [
    new RegExp(String.raw`([$£€¥])\s?(${NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?`, 'gi'),
    (m, sym, amount, scale, at, all) => money(sym, amount, scale, beforeNoun(all.slice(Number(at) + m.length))),
  ],
  // Counts: "1bn users", "2.5m people" (but "a 5m wall" is metres), "2.5x".
  [new RegExp(String.raw`\b(${NUM})\s?(bn|tn|mn)\b`, 'g'), (_m, n, scale) => `${number(n)} ${SCALE_WORDS[scale]}`],
  [
    new RegExp(String.raw`\b(${NUM})m\b(?!\s?[-–]\s?\d)`, 'g'),
    (m, n, at, all) => {
      const next = /^\s+([a-z]+)/.exec(all.slice(Number(at) + m.length))?.[1];
      const metres = next ? LENGTH_WORDS.has(next) || (!next.endsWith('s') && next !== 'people') : !n.includes('.');
      return metres ? m : `${number(n)} million`;
    },
  ],
  [new RegExp(String.raw`\b(${NUM})x\b`, 'g'), (_m, n) => `${number(n)} times`],
  [/\b(\d+)\s?¢/g, (_m, n) => `${cardinal(n)} ${n === '1' ? 'cent' : 'cents'}`],

  // Percentages and degrees.
  [new RegExp(String.raw`(${NUM})\s?%`, 'g'), (_m, n) => `${number(n)} percent`],
  [
    /(-?)(\d+(?:\.\d+)?)\s?°\s?([FC])\b/g,
    (_m, minus, n, s) => `${minus ? 'minus ' : ''}${number(n)} degrees ${s === 'F' ? 'Fahrenheit' : 'Celsius'}`,
  ],
  [/(\d+(?:\.\d+)?)\s?°/g, (_m, n) => `${number(n)} degrees`],

  // Dates: "June 3-5", "3-5 June", "30/11", "11/30/2026", ISO, "Oct. 5, 2026", "December 12", "5 October 2026".
  [
    new RegExp(String.raw`\b(${MONTH_NAMES})\s+(\d{1,2})\s?[-–]\s?(\d{1,2})\b(?!:)`, 'g'),
    (_m, mo, a, b) => `${mo} ${ordinal(a)} to ${ordinal(b)}`,
  ],
  [
    new RegExp(String.raw`\b(\d{1,2})\s?[-–]\s?(\d{1,2})\s+(${MONTH_NAMES})\b`, 'g'),
    (_m, a, b, mo) => `the ${ordinal(a)} to ${ordinal(b)} of ${mo}`,
  ],
  [/(?<![\d/])\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?\b(?!\/)/g, (m, a, b, y) => numericDate(style, a, b, y) ?? m],
  [/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m, y, mo, d) => (Number(mo) >= 1 && Number(mo) <= 12 ? date(MONTHS[Number(mo) - 1], d, y) : m)],
  [
    new RegExp(String.raw`\b(${MONTH_ABBR})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(\d{4})\b)?`, 'g'),
    (_m, mo, d, y) => date(MONTHS[MONTH_ABBREVIATIONS[mo] - 1], d, y),
  ],
  [
    new RegExp(String.raw`\b(${MONTH_NAMES})\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![:\d])(?:,?\s+(\d{4})\b)?`, 'g'),
    (_m, mo, d, y) => date(mo, d, y),
  ],
  [
    new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH_NAMES})\b(?:,?\s+(\d{4})\b)?`, 'g'),
    (_m, d, mo, y) => `the ${ordinal(d)} of ${mo}${y ? ` ${year(y)}` : ''}`,
  ],
  [new RegExp(String.raw`\b(${MONTH_ABBR})\.(?=\s+\d{4})`, 'g'), (_m, mo) => MONTHS[MONTH_ABBREVIATIONS[mo] - 1]],

  // Times: "6 a.m.", "6:30 p.m.", "10.30am", "10:05", "15:00 GMT".
  [/\b(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?\s?m\b\.?/gi, (_m, h, m, ap) => `${hour(h)}${m ? minutes(m) : ''} ${ap.toUpperCase()} M`],
  [/\b(\d{1,2}):(\d{2})\b/g, (_m, h, m) => clock(h, m)],

  // Decades: "the 1990s", "the '90s".
  [/\b(1[1-9]\d0|20[0-9]0)s\b/g, (_m, y) => pluralise(year(y))],
  [/['’](\d0)s\b/g, (_m, d) => pluralise(cardinal(d))],

  // A range before a unit: "10-12 mm".
  [
    new RegExp(String.raw`\b(${NUM})\s?[-–]\s?(${NUM})\s?(${Object.keys(UNITS).map(escapeRegExp).join('|')})(?![\p{L}\d/])`, 'gu'),
    (_m, a, b, unit) => `${number(a)} to ${number(b)} ${unitWord(style, unit, true)}`,
  ],
  // Ranges and scores: "2019-2021", "2019-21", "voted 7-2", "pages 10–12".
  [
    new RegExp(String.raw`\b(${NUM})\s?[-–]\s?(${NUM})\b(?![-–]\d)`, 'g'),
    (_m, a, b) => {
      if (isYear(a) && (isYear(b) || /^\d{2}$/.test(b))) return `${year(a)} to ${year(b.length === 2 ? a.slice(0, 2) + b : b)}`;
      return `${number(a)} to ${number(b)}`;
    },
  ],

  // Ordinals and numbered things.
  [/\b(\d+)(?:st|nd|rd|th)\b/g, (_m, n) => ordinal(n)],
  [/\bNo\.\s?(\d)/g, (_m, d) => `number ${d}`],
  [/#(\d)/g, (_m, d) => `number ${d}`],
  [
    /\b(\d+)\/(\d+)\b/g,
    (m, a, b) => (Number(b) > 1 && Number(b) <= 10 && Number(a) < Number(b) ? fraction(a, b) : m.replace('/', ' ').trim()),
  ],
  [/½/g, () => ' and a half'],
  [/¼/g, () => ' and a quarter'],
  [/¾/g, () => ' and three quarters'],

  // Number with a unit: "5 km", "60 mph".
  [
    new RegExp(String.raw`\b(${NUM})\s?(${Object.keys(UNITS).map(escapeRegExp).join('|')})(?![\p{L}\d/])`, 'gu'),
    (_m, n, unit) => `${number(n)} ${unitWord(style, unit, n !== '1')}`,
  ],

  // Years: a four-digit number that is not a count of something ("1500 runners").
  [/(?<![\d,.$])\b(1[1-9]\d\d|20\d\d)\b(?![,.]\d)/g, (m, y, at, all) => (looksLikeYear(all, Number(at), m.length) ? year(y) : cardinal(y))],
  // Negative numbers, then every number left ("3.5 million" reads fine once 3.5 is words).
  [/(?<![\w.])-(?=\d)/g, () => 'minus '],
  [new RegExp(String.raw`\b(${NUM})\b`, 'g'), (n) => number(n)],

  // Abbreviations and titles.
  [/\b(?:[A-Za-z]\.){2,}(?![A-Za-z])/g, (m) => (DOTTED_WORDS[m.toLowerCase()] ? DOTTED_WORDS[m.toLowerCase()] : spell(m.toUpperCase()))],
  [/\bet al\./g, () => 'and others'],
  [/\bthe WHO\b/g, () => 'the W H O'],
  // Left in capitals in mixed-case text (shouted runs were made words above): the organisation.
  [/\bWHO\b(?!\s+\p{Lu}{2,})/gu, () => 'W H O'],
  [new RegExp(String.raw`\b(${Object.keys(WORD_ACRONYMS).join('|')})\b`, 'g'), (m) => WORD_ACRONYMS[m]],
  [
    new RegExp(String.raw`\b(${SPELLED.join('|')})\b`, 'g'),
    (m) => (m.endsWith('s') && SPELLED_SET.has(m.slice(0, -1)) ? `${spell(m.slice(0, -1))}s` : spell(m)),
  ],
  [/(\p{Lu}[\p{L}'-]*\s+)St\.(?=\s|$|,)/gu, (_m, before) => `${before}Street`],
  [/\bSt\.\s*/g, () => 'Saint '],
  [new RegExp(String.raw`\b(${Object.keys(TITLES).join('|')})\.(?=\s)`, 'g'), (_m, t) => TITLES[t]],
  [new RegExp(String.raw`, (${Object.keys(STATES).join('|')})\.`, 'g'), (_m, s) => `, ${STATES[s]}`],
  [new RegExp(String.raw`\b(${Object.keys(ABBREVIATIONS).join('|')})\.`, 'g'), (_m, a) => ABBREVIATIONS[a]],
  // Initials: "James T. Kirk" — the period is not a sentence end.
  [/\b(\p{Lu})\.(?=\s+\p{Lu})/gu, (_m, l) => l],

  // Symbols.
  [/\s*&\s*/g, () => ' and '],
  [/\band\/or\b/g, () => 'and or'],
  [/(\p{L})\/(\p{L})/gu, (_m, a, b) => `${a} or ${b}`],
  [/\s\+\s|(?<=\s)\+(?=\p{N}|\p{L})/gu, () => ' plus '],
  [/\s=\s/g, () => ' equals '],
  [/±/g, () => ' plus or minus '],
  [/~(?=\s?\p{N}|\p{L})/gu, () => 'about '],
  [/§\s?/g, () => 'section '],
  [/@(\w)/g, (_m, c) => `at ${c}`],
  [/[*_|]/g, () => ' '],
];

const RULES_BY_LOCALE = new Map<string, Rule[]>();

/** Rewrites one sentence of English news text into words a synthesiser reads naturally; the locale decides "5/11". */
export function normaliseEnglish(text: string, locale = 'en-US'): string {
  let rules = RULES_BY_LOCALE.get(locale);
  if (!rules) {
    rules = buildRules(styleOf(locale));
    RULES_BY_LOCALE.set(locale, rules);
  }
  let out = text.normalize('NFC').replace(/[\u00a0\u2009\u202f]/g, ' ');
  for (const [pattern, replace] of rules) out = out.replace(pattern, replace as (...args: any[]) => string);
  return out
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/,\s*,+/g, ',')
    .replace(/[.!?]+,/g, ',')
    .replace(/^[\s,]+/, '')
    .replace(/,\s*([.!?])/g, '$1')
    .replace(/[\s,]+$/, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
