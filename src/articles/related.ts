import { LRUCache } from 'lru-cache';

const STOP = new Set(
  'a an and are as at be been but by for from has have he her his in into is it its of on or over that the their them they this to under was were which while who will with after before about than more most new says said not no'.split(
    ' ',
  ),
);

/** Whether a lower-case word says something: not a stop word, not very short. */
export const isDistinctive = (word: string) => word.length > 2 && !STOP.has(word);

/** The distinctive words of a text: lower-case, no stop words, no very short words. */
export function terms(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter(isDistinctive));
}

/** The words of candidates' headlines and standfirsts: the same few hundred recur across a section's pages. */
const candidateTerms = new LRUCache<string, Set<string>>({ max: 5000 });

function termsOfCandidate(text: string): Set<string> {
  let found = candidateTerms.get(text);
  if (!found) {
    found = terms(text);
    candidateTerms.set(text, found);
  }
  return found;
}

export interface RelatedCandidate {
  id: number;
  publishedAt: string;
  text: string;
  tagIds: number[];
}

/**
 * Orders candidates by how related they are to the target: shared tags weigh most, then shared
 * distinctive words of headline and standfirst; ties go to the newest.
 */
export function rankRelated(target: { text: string; tagIds: number[] }, candidates: RelatedCandidate[]): number[] {
  const targetTerms = terms(target.text);
  const targetTags = new Set(target.tagIds);
  const scored = candidates.map((c) => {
    const sharedTags = c.tagIds.filter((t) => targetTags.has(t)).length;
    let sharedTerms = 0;
    for (const t of termsOfCandidate(c.text)) if (targetTerms.has(t)) sharedTerms++;
    return { id: c.id, score: sharedTags * 3 + sharedTerms, publishedAt: c.publishedAt };
  });
  scored.sort((a, b) => b.score - a.score || b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id);
  return scored.map((s) => s.id);
}
