import type { ArticleView } from '../articles/article.repo.js';
import { articleUrl, authorUrl, sectionUrl } from '../articles/article.urls.js';
import type { Person } from '../authors/person.table.js';
import { CROPS, type CropName } from '../media/crop.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { contentModified, isoWithOffset } from './date.format.js';
import { cropUrl } from './image.routes.js';
import { PUBLISHER_LOGO_SIZE, SITE_PATHS, versioned } from './site.assets.js';

/** What structured data needs to know about the site. */
export interface SiteInfo {
  origin: string;
  settings: SiteSettings;
}

type Json = Record<string, unknown>;

const CONTEXT = 'https://schema.org';

/** Serialises JSON-LD for a <script> element: nothing in it can close the element or open a comment. */
export function jsonLdText(data: Json): string {
  return JSON.stringify(data)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

export function organization(site: SiteInfo): Json {
  return {
    '@type': 'Organization',
    '@id': `${site.origin}/#organization`,
    name: site.settings.siteName,
    url: `${site.origin}/`,
    logo: {
      '@type': 'ImageObject',
      url: `${site.origin}${versioned(site.settings, SITE_PATHS.publisherLogo)}`,
      width: PUBLISHER_LOGO_SIZE,
      height: PUBLISHER_LOGO_SIZE,
    },
  };
}

/** The hero's crops as ImageObjects (16:9, 4:3, 1:1), absolute URLs. */
export function heroImages(origin: string, article: Pick<ArticleView, 'hero'>): { url: string; width: number; height: number }[] {
  const hero = article.hero;
  if (!hero || !cropUrl(hero, '16x9')) return [];
  return (Object.keys(CROPS) as CropName[]).map((crop) => ({ url: `${origin}${cropUrl(hero, crop)}`, ...CROPS[crop] }));
}

/** schema.org NewsArticle with Google's recommended properties. */
export function newsArticle(site: SiteInfo, a: ArticleView, canonical: string): Json {
  const tz = site.settings.timeZone;
  const modified = contentModified(a);
  const images = heroImages(site.origin, a);
  return {
    '@context': CONTEXT,
    '@type': 'NewsArticle',
    '@id': `${canonical}#article`,
    url: canonical,
    mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
    headline: a.headline,
    description: a.standfirst,
    ...(images.length ? { image: images.map((i) => ({ '@type': 'ImageObject', ...i })) } : {}),
    datePublished: isoWithOffset(a.publishedAt, tz),
    dateModified: isoWithOffset(modified, tz),
    author: a.authors.map((p) => ({ '@type': 'Person', name: p.name, url: `${site.origin}${authorUrl(p)}` })),
    publisher: organization(site),
    articleSection: a.section.name,
    keywords: a.tags.map((t) => t.name),
    wordCount: a.wordCount,
    inLanguage: site.settings.locale,
    isAccessibleForFree: true,
  };
}

/** Home → section → article. */
export function breadcrumbs(site: SiteInfo, a: Pick<ArticleView, 'headline' | 'slug' | 'section'>): Json {
  const items = [
    { name: site.settings.siteName, item: `${site.origin}/` },
    { name: a.section.name, item: `${site.origin}${sectionUrl(a.section)}` },
    { name: a.headline, item: `${site.origin}${articleUrl(a)}` },
  ];
  return {
    '@context': CONTEXT,
    '@type': 'BreadcrumbList',
    itemListElement: items.map((it, i) => ({ '@type': 'ListItem', position: i + 1, ...it })),
  };
}

/** The site, with the search box search engines may show (SearchAction). */
export function website(site: SiteInfo): Json {
  return {
    '@context': CONTEXT,
    '@type': 'WebSite',
    '@id': `${site.origin}/#website`,
    url: `${site.origin}/`,
    name: site.settings.siteName,
    description: site.settings.siteDescription,
    inLanguage: site.settings.locale,
    publisher: organization(site),
    potentialAction: {
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${site.origin}/search?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    },
  };
}

/** An author page's person. */
export function person(site: SiteInfo, p: Pick<Person, 'name' | 'slug' | 'bio'>): Json {
  return {
    '@context': CONTEXT,
    '@type': 'Person',
    '@id': `${site.origin}${authorUrl(p)}#person`,
    name: p.name,
    url: `${site.origin}${authorUrl(p)}`,
    ...(p.bio ? { description: p.bio } : {}),
    worksFor: { '@type': 'Organization', name: site.settings.siteName, url: `${site.origin}/` },
  };
}
