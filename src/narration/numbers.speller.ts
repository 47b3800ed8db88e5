/** English number words, used by the text normaliser. Pure functions; nothing here knows about news style. */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function underThousand(n: number): string {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds) words.push(`${ONES[hundreds]} hundred`);
  if (rest) words.push(underHundred(rest));
  return words.join(' ');
}

function underHundred(n: number): string {
  if (n < 20) return ONES[n];
  const t = TENS[Math.floor(n / 10)];
  return n % 10 ? `${t}-${ONES[n % 10]}` : t;
}

/** 1234 → "one thousand two hundred thirty-four". Accepts integers given as numbers or digit strings. */
export function cardinal(value: number | string): string {
  let digits = String(value).replace(/^0+(?=\d)/, '');
  if (!/^\d+$/.test(digits)) throw new Error(`not a whole number: ${value}`);
  if (digits === '0') return 'zero';
  // Beyond the named scales, read digit by digit rather than invent words.
  if (digits.length > SCALES.length * 3) return digitByDigit(digits);
  const groups: number[] = [];
  while (digits.length) {
    groups.unshift(Number(digits.slice(-3)));
    digits = digits.slice(0, -3);
  }
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (!g) return;
    const scale = SCALES[groups.length - 1 - i];
    words.push(scale ? `${underThousand(g)} ${scale}` : underThousand(g));
  });
  return words.join(' ');
}

const ORDINAL_WORDS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** 21 → "twenty-first". */
export function ordinal(value: number | string): string {
  const words = cardinal(value);
  const match = /([a-z]+)$/.exec(words);
  if (!match) return words;
  const last = match[1];
  let replaced: string;
  if (ORDINAL_WORDS[last]) replaced = ORDINAL_WORDS[last];
  else if (last.endsWith('y')) replaced = `${last.slice(0, -1)}ieth`;
  else replaced = `${last}th`;
  return words.slice(0, -last.length) + replaced;
}

/** "0457" → "zero four five seven": for codes, long numbers and decimals' fractional parts. */
export function digitByDigit(digits: string): string {
  return [...digits].map((d) => ONES[Number(d)] ?? d).join(' ');
}

/** A year as people say it: 1990 → "nineteen ninety", 2026 → "twenty twenty-six", 2005 → "two thousand five". */
export function year(value: number | string): string {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9999) return cardinal(String(value));
  if (n < 1000) return cardinal(n);
  const high = Math.floor(n / 100);
  const low = n % 100;
  if (n % 1000 === 0) return cardinal(n);
  if (n >= 2000 && n < 2010) return cardinal(n);
  if (low === 0) return `${cardinal(high)} hundred`;
  if (low < 10) return `${cardinal(high)} oh ${ONES[low]}`;
  return `${cardinal(high)} ${underHundred(low)}`;
}

/** "3.25" → "three point two five"; "1,200.5" → "one thousand two hundred point five". */
export function decimal(text: string): string {
  const clean = text.replace(/,/g, '');
  const [whole, fraction] = clean.split('.');
  const head = cardinal(whole === '' ? '0' : whole);
  return fraction ? `${head} point ${digitByDigit(fraction)}` : head;
}

/** Any number as written in running text: integers with or without thousands commas, and decimals. */
export function number(text: string): string {
  return text.includes('.') ? decimal(text) : cardinal(text.replace(/,/g, ''));
}

const FRACTIONS: Record<string, [string, string]> = {
  '2': ['half', 'halves'],
  '4': ['quarter', 'quarters'],
};

/** "3/4" → "three quarters", "1/3" → "one third". */
export function fraction(numerator: string, denominator: string): string {
  const n = Number(numerator);
  const special = FRACTIONS[denominator];
  const noun = special ? special[n === 1 ? 0 : 1] : n === 1 ? ordinal(denominator) : `${ordinal(denominator)}s`;
  return `${cardinal(numerator)} ${noun}`;
}
