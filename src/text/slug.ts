import { createHash } from 'node:crypto';
import slugify from '@sindresorhus/slugify';

/**
 * ASCII, lower-case, hyphenated; accents transliterated ("Zoë Müller" → "zoe-mueller").
 * Text with no Latin equivalent (e.g. "日本語") gets a stable slug from its hash, so two such
 * names never share one slug.
 */
export function toSlug(text: string): string {
  const slug = slugify(text, { decamelize: false }).slice(0, 80).replace(/-+$/, '');
  if (slug) return slug;
  const trimmed = text.trim();
  return trimmed ? `n-${createHash('sha256').update(trimmed.normalize('NFC')).digest('hex').slice(0, 10)}` : 'untitled';
}

export function isValidSlug(slug: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) && slug.length <= 120;
}
