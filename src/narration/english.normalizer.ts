import {
  ABBREVIATIONS,
  CURRENCIES,
  DOTTED_WORDS,
  MONTH_ABBREVIATIONS,
  MONTHS,
  SCALE_WORDS,
  SPELLED,
  STATES,
  TITLES,
  UNITS,
} from './english.lexicon.js';
import { cardinal, fraction, number, ordinal, year } from './numbers.speller.js';

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
  return !/^\s+[a-z]+s\b/.test(text.slice(at + length));
}

function pluralise(words: string): string {
  if (words.endsWith('y')) return `${words.slice(0, -1)}ies`;
  if (words.endsWith('x')) return `${words}es`;
  return `${words}s`;
}

function spell(letters: string): string {
  return [...letters.replace(/\./g, '')].join(' ');
}

function money(symbol: string, amount: string, scale?: string): string {
  const c = CURRENCIES[symbol];
  if (scale) return `${number(amount)} ${SCALE_WORDS[scale.toLowerCase()]} ${c.many}`;
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
const RULES: Rule[] = [
  // Addresses first: their dots and digits are not sentences or numbers.
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, (m) => m.replace(/@/, ' at ').replace(/\./g, ' dot ')],
  [/\b(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>".,;:!?)]/gi, url],
  [/\b[a-z0-9-]+\.(?:com|org|net|gov|edu|io)\b/gi, url],

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

  // Money: "$412 million", "$1.5bn", "$12.50", "£3".
  [
    new RegExp(String.raw`([$£€¥])\s?(${NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?`, 'gi'),
    (_m, sym, amount, scale) => money(sym, amount, scale),
  ],
  [/\b(\d+)\s?¢/g, (_m, n) => `${cardinal(n)} ${n === '1' ? 'cent' : 'cents'}`],

  // Percentages and degrees.
  [new RegExp(String.raw`(${NUM})\s?%`, 'g'), (_m, n) => `${number(n)} percent`],
  [
    /(-?)(\d+(?:\.\d+)?)\s?°\s?([FC])\b/g,
    (_m, minus, n, s) => `${minus ? 'minus ' : ''}${number(n)} degrees ${s === 'F' ? 'Fahrenheit' : 'Celsius'}`,
  ],
  [/(\d+(?:\.\d+)?)\s?°/g, (_m, n) => `${number(n)} degrees`],

  // Dates: ISO, "Oct. 5, 2026", "December 12", "5 October 2026".
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

  // Times: "6 a.m.", "6:30 p.m.", "10:05".
  [/\b(\d{1,2})(?::(\d{2}))?\s?([ap])\.?\s?m\b\.?/gi, (_m, h, m, ap) => `${hour(h)}${m ? minutes(m) : ''} ${ap.toUpperCase()} M`],
  [/\b(\d{1,2}):(\d{2})\b/g, (_m, h, m) => (m === '00' ? `${hour(h)} o'clock` : `${hour(h)}${minutes(m)}`)],

  // Decades: "the 1990s", "the '90s".
  [/\b(1[1-9]\d0|20[0-9]0)s\b/g, (_m, y) => pluralise(year(y))],
  [/['’](\d0)s\b/g, (_m, d) => pluralise(cardinal(d))],

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
    (_m, n, unit) => `${number(n)} ${UNITS[unit][n === '1' ? 0 : 1]}`,
  ],

  // Years: a four-digit number that is not a count of something ("1500 runners").
  [/(?<![\d,.$])\b(1[1-9]\d\d|20\d\d)\b(?![,.]\d)/g, (m, y, at, all) => (looksLikeYear(all, Number(at), m.length) ? year(y) : cardinal(y))],
  // Negative numbers, then every number left ("3.5 million" reads fine once 3.5 is words).
  [/(?<![\w.])-(?=\d)/g, () => 'minus '],
  [new RegExp(String.raw`\b(${NUM})\b`, 'g'), (n) => number(n)],

  // Abbreviations and titles.
  [/\b(?:[A-Za-z]\.){2,}(?![A-Za-z])/g, (m) => (DOTTED_WORDS[m.toLowerCase()] ? DOTTED_WORDS[m.toLowerCase()] : spell(m.toUpperCase()))],
  [/\bet al\./g, () => 'and others'],
  [new RegExp(String.raw`\b(${SPELLED.join('|')})\b`, 'g'), (m) => spell(m)],
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

/** Rewrites one sentence of English news text into words a synthesiser reads naturally. */
export function normaliseEnglish(text: string): string {
  let out = text.normalize('NFC').replace(/[\u00a0\u2009\u202f]/g, ' ');
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (...args: any[]) => string);
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
