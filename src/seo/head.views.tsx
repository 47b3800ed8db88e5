import type { ArticleView } from '../articles/article.repo.js';
import { authorUrl } from '../articles/article.urls.js';
import { contentModified, isoWithOffset } from './date.format.js';
import { breadcrumbs, heroImages, jsonLdText, newsArticle, type SiteInfo } from './jsonld.js';
import { SITE_IMAGE, SITE_PATHS, versioned } from './site.assets.js';

/** A JSON-LD block. The text is escaped so that it cannot end the script element. */
export function JsonLd(props: { data: Record<string, unknown> }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(props.data) }} />;
}

const ogLocale = (locale: string) => locale.replace('-', '_');

/** Open Graph and Twitter tags of any page that is not an article. */
export function PageHead(props: { site: SiteInfo; title: string; description: string; url: string; type?: 'website' | 'profile' }) {
  const { site } = props;
  // The site image (uploaded in the settings, else drawn from the site name), 1200×630.
  const image = `${site.origin}${versioned(site.settings, SITE_PATHS.siteImage)}`;
  return (
    <>
      <meta property="og:type" content={props.type ?? 'website'} />
      <meta property="og:site_name" content={site.settings.siteName} />
      <meta property="og:locale" content={ogLocale(site.settings.locale)} />
      <meta property="og:title" content={props.title} />
      <meta property="og:description" content={props.description} />
      <meta property="og:url" content={props.url} />
      <meta property="og:image" content={image} />
      <meta property="og:image:type" content="image/jpeg" />
      <meta property="og:image:width" content={String(SITE_IMAGE.width)} />
      <meta property="og:image:height" content={String(SITE_IMAGE.height)} />
      <meta property="og:image:alt" content={site.settings.siteName} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={props.title} />
      <meta name="twitter:description" content={props.description} />
      <meta name="twitter:image" content={image} />
      <meta name="twitter:image:alt" content={site.settings.siteName} />
    </>
  );
}

/** Everything an article page says about itself to search engines and social networks. */
export function ArticleHead(props: { site: SiteInfo; article: ArticleView; canonical: string }) {
  const { site, article: a, canonical } = props;
  const tz = site.settings.timeZone;
  const modified = contentModified(a);
  // The 16:9 crop is the one link previews show.
  const [wide] = heroImages(site.origin, a);
  const alt = a.hero?.alt || a.headline;
  return (
    <>
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={site.settings.siteName} />
      <meta property="og:locale" content={ogLocale(site.settings.locale)} />
      <meta property="og:title" content={a.headline} />
      <meta property="og:description" content={a.standfirst} />
      <meta property="og:url" content={canonical} />
      {wide ? (
        <>
          <meta property="og:image" content={wide.url} />
          <meta property="og:image:type" content="image/jpeg" />
          <meta property="og:image:width" content={String(wide.width)} />
          <meta property="og:image:height" content={String(wide.height)} />
          <meta property="og:image:alt" content={alt} />
        </>
      ) : null}
      <meta property="article:published_time" content={isoWithOffset(a.publishedAt, tz)} />
      <meta property="article:modified_time" content={isoWithOffset(modified, tz)} />
      <meta property="article:section" content={a.section.name} />
      {a.tags.map((t) => (
        <meta key={`t${t.id}`} property="article:tag" content={t.name} />
      ))}
      {a.authors.map((p) => (
        <meta key={`a${p.id}`} property="article:author" content={`${site.origin}${authorUrl(p)}`} />
      ))}
      <meta name="twitter:card" content={wide ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={a.headline} />
      <meta name="twitter:description" content={a.standfirst} />
      {wide ? (
        <>
          <meta name="twitter:image" content={wide.url} />
          <meta name="twitter:image:alt" content={alt} />
        </>
      ) : null}
      <JsonLd data={newsArticle(site, a, canonical)} />
      <JsonLd data={breadcrumbs(site, a)} />
    </>
  );
}

/** Autodiscovery links for a page's own feeds (the site's feeds are in every page's head). */
export function FeedLinks(props: { base: string; title: string }) {
  return (
    <>
      <link rel="alternate" type="application/rss+xml" title={`${props.title} (RSS)`} href={`${props.base}/feed.xml`} />
      <link rel="alternate" type="application/atom+xml" title={`${props.title} (Atom)`} href={`${props.base}/atom.xml`} />
      <link rel="alternate" type="application/feed+json" title={`${props.title} (JSON Feed)`} href={`${props.base}/feed.json`} />
    </>
  );
}
