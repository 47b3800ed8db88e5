import slugify from '@sindresorhus/slugify';

/** ASCII, lower-case, hyphenated; accents transliterated ("Zoë Müller" → "zoe-muller"). */
export function toSlug(text: string): string {
  const slug = slugify(text, { decamelize: false }).slice(0, 80).replace(/-+$/, '');
  return slug || 'untitled';
}

export function isValidSlug(slug: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) && slug.length <= 120;
}
