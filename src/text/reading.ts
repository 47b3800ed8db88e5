/** Words in Markdown text as a reader counts them: markup, URLs of links and images are not words. */
export function countWords(markdown: string): number {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#>*_`~|]+/g, ' ')
    // Hyphens join words ("late-night" is one word); list markers and rules are not words.
    .replace(/(?<![\p{L}\p{N}])-+|-+(?![\p{L}\p{N}])/gu, ' ');
  const words = text.match(/[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu);
  return words ? words.length : 0;
}

/** Minutes to read: ceil(words / wpm), at least 1. */
export function readingMinutes(words: number, wordsPerMinute = 200): number {
  return Math.max(1, Math.ceil(words / Math.max(1, wordsPerMinute)));
}
