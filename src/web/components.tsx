import type { ArticleCard, Ref } from '../articles/article.repo.js';
import { articleUrl, authorUrl, listingUrl, mediaUrl, sectionUrl } from '../articles/article.urls.js';
import type { ListingPage } from '../articles/listing.service.js';
import type { MediaView } from '../media/media.service.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { formatDate } from './format.js';

/** A responsive image: AVIF and WebP sources, JPEG fallback, fixed width/height so nothing shifts. */
export function Picture(props: { media: MediaView; alt: string; sizes: string; eager?: boolean; class?: string }) {
  const { media } = props;
  const of = (format: string) => media.variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width);
  const srcset = (format: string) =>
    of(format)
      .map((v) => `${mediaUrl(v.path)} ${v.width}w`)
      .join(', ');
  const jpegs = of('jpeg');
  const fallback = jpegs.find((v) => v.width >= 800) ?? jpegs[jpegs.length - 1];
  return (
    <picture class={props.class}>
      <source type="image/avif" srcset={srcset('avif')} sizes={props.sizes} />
      <source type="image/webp" srcset={srcset('webp')} sizes={props.sizes} />
      <img
        src={fallback ? mediaUrl(fallback.path) : ''}
        srcset={srcset('jpeg')}
        sizes={props.sizes}
        width={media.width}
        height={media.height}
        alt={props.alt}
        loading={props.eager ? 'eager' : 'lazy'}
        decoding="async"
        fetchpriority={props.eager ? 'high' : undefined}
      />
    </picture>
  );
}

export function AuthorLinks(props: { authors: Ref[] }) {
  const { authors } = props;
  return (
    <>
      {authors.map((a, i) => (
        <>
          {i > 0 ? (i === authors.length - 1 ? ' and ' : ', ') : null}
          <a href={authorUrl(a)} rel="author">
            {a.name}
          </a>
        </>
      ))}
    </>
  );
}

/** One article in a list: section, headline, standfirst, byline and date. */
export function Card(props: { article: ArticleCard; settings: SiteSettings; image?: boolean; showSection?: boolean; level?: 2 | 3 }) {
  const { article: a, settings } = props;
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <article class={`card${props.image && a.hero ? ' card-with-image' : ''}`}>
      {props.image && a.hero ? (
        <div class="card-image">
          <Picture media={a.hero} alt="" sizes="(min-width: 900px) 300px, 100vw" />
        </div>
      ) : null}
      <div class="card-text">
        {props.showSection !== false ? (
          <a class="kicker" href={sectionUrl(a.section)}>
            {a.section.name}
          </a>
        ) : null}
        <Heading class="card-headline">
          <a href={articleUrl(a)}>{a.headline}</a>
        </Heading>
        {a.standfirst ? <p class="card-standfirst">{a.standfirst}</p> : null}
        <p class="card-meta">
          {a.authors.length ? (
            <span>
              <AuthorLinks authors={a.authors} />
            </span>
          ) : null}{' '}
          <time datetime={a.publishedAt}>{formatDate(a.publishedAt, settings)}</time>
        </p>
      </div>
    </article>
  );
}

/** " (page 2)" or " (12 Mar 2026)" for the title of a listing page after the first. */
export function pageSuffix(listing: ListingPage, settings: SiteSettings): string {
  if (listing.page !== undefined) return listing.page > 1 ? ` (page ${listing.page})` : '';
  const first = listing.articles[0];
  return first ? ` (${formatDate(first.publishedAt, settings)})` : '';
}

/**
 * "← Newer stories" and "Older stories →" under a list, with the page number when the page is
 * counted from the top, or else the dates it spans.
 */
export function Pagination(props: { base: string; listing: ListingPage; settings: SiteSettings }) {
  const { base, listing: l, settings } = props;
  if (!l.newer && !l.older) return null;
  const first = l.articles[0];
  const last = l.articles[l.articles.length - 1];
  const label =
    l.page !== undefined
      ? `Page ${l.page} of ${l.pages}`
      : first && last
        ? `${formatDate(first.publishedAt, settings)} – ${formatDate(last.publishedAt, settings)}`
        : '';
  return (
    <nav class="pagination" aria-label="Pages">
      {l.newer ? (
        <a href={listingUrl(base, l.newer)} rel="prev">
          ← Newer stories
        </a>
      ) : (
        <span />
      )}
      <span>{label}</span>
      {l.older ? (
        <a href={listingUrl(base, l.older)} rel="next">
          Older stories →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** <link rel=prev/next> for the <head> of a paginated list. */
export function PageLinks(props: { base: string; listing: ListingPage }) {
  const { base, listing: l } = props;
  return (
    <>
      {l.newer ? <link rel="prev" href={listingUrl(base, l.newer)} /> : null}
      {l.older ? <link rel="next" href={listingUrl(base, l.older)} /> : null}
    </>
  );
}

/** Where a reader can go from a page that is not there (404) or no longer there (410): search, the front page, the sections. */
export function FindYourWay(props: { label: string; id: string; sections: { id: number; slug: string; name: string }[] }) {
  return (
    <>
      <form role="search" aria-label={props.label} action="/search" method="get" class="inline-search">
        <label for={props.id}>Search the site</label>
        <input id={props.id} type="search" name="q" />
        <button type="submit">Search</button>
      </form>
      <p>
        Or start from the <a href="/">front page</a>, or browse a section:
      </p>
      <ul class="section-links">
        {props.sections.map((s) => (
          <li key={s.id}>
            <a href={`/${s.slug}`}>{s.name}</a>
          </li>
        ))}
      </ul>
    </>
  );
}
