import { normaliseEnglish } from './english.normalizer.js';

/** A language's rewriting of written text into speakable words. */
export type Normaliser = (sentence: string, locale: string) => string;

const BY_LANGUAGE: Record<string, Normaliser> = { en: normaliseEnglish };

/** The normaliser for a BCP 47 locale ("en-GB" → English); English until another language is added. */
export function normaliserFor(locale: string): Normaliser {
  return BY_LANGUAGE[locale.split('-')[0].toLowerCase()] ?? normaliseEnglish;
}

/**
 * One sentence, ready for the synthesiser: words instead of digits and symbols, and a closing
 * punctuation mark so headings and list items end with a pause like any sentence.
 */
export function speakable(sentence: string, locale = 'en'): string {
  const spoken = normaliserFor(locale)(sentence, locale);
  if (!spoken) return '';
  return /[.!?]$/.test(spoken) ? spoken : `${spoken}.`;
}
