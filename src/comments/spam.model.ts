import { foldText } from './comment.text.js';

/** Documents of each class the model needs before its score may hold a comment (until then it only sorts and flags). */
export const SPAM_MIN_TRAINING = 20;
/** At or above this probability a trained model holds a comment as likely spam. */
export const SPAM_HOLD_AT = 0.9;

const MAX_TOKENS = 300;

/** The features of a comment: its distinct words, the hosts it links to, and a few shape markers. */
export function tokenize(name: string, body: string): string[] {
  const tokens = new Set<string>();
  const text = foldText(body);
  for (const m of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'_-]{1,29}/gu)) {
    if (tokens.size >= MAX_TOKENS) break;
    tokens.add(m[0]);
  }
  for (const m of body.matchAll(/\bhttps?:\/\/([^\s/?#<>"']+)/gi)) tokens.add(`host:${m[1].toLowerCase()}`);
  const links = (body.match(/https?:\/\//gi) ?? []).length;
  tokens.add(`links:${Math.min(links, 3)}`);
  const letters = body.replace(/[^\p{L}]/gu, '');
  if (letters.length > 20 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.6) tokens.add('shape:shouting');
  tokens.add(`name:${foldText(name).split(/\s+/).length > 3 ? 'long' : 'short'}`);
  return [...tokens];
}

export interface TokenCounts {
  spam: number;
  ham: number;
}

/**
 * Naive Bayes probability that a comment is spam, from per-token counts and documents per
 * class (Laplace smoothing, log space). 0.5 when the model knows nothing.
 */
export function spamProbability(tokens: string[], counts: Map<string, TokenCounts>, docs: TokenCounts): number {
  if (docs.spam === 0 || docs.ham === 0) return 0.5;
  let logSpam = Math.log(docs.spam / (docs.spam + docs.ham));
  let logHam = Math.log(docs.ham / (docs.spam + docs.ham));
  for (const token of tokens) {
    const c = counts.get(token);
    if (!c) continue; // unseen words say nothing either way
    logSpam += Math.log((c.spam + 1) / (docs.spam + 2));
    logHam += Math.log((c.ham + 1) / (docs.ham + 2));
  }
  const diff = logHam - logSpam;
  if (diff > 50) return 0;
  if (diff < -50) return 1;
  return 1 / (1 + Math.exp(diff));
}

export const isTrained = (docs: TokenCounts) => docs.spam >= SPAM_MIN_TRAINING && docs.ham >= SPAM_MIN_TRAINING;
