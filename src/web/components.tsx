import type { ArticleCard, Ref } from '../articles/article.repo.js';
import { articleUrl, authorUrl, mediaUrl, sectionUrl } from '../articles/article.urls.js';
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

export function Pagination(props: { base: string; page: number; pages: number }) {
  if (props.pages <= 1) return null;
  const href = (p: number) => (p === 1 ? props.base : `${props.base}?page=${p}`);
  return (
    <nav class="pagination" aria-label="Pages">
      {props.page > 1 ? (
        <a href={href(props.page - 1)} rel="prev">
          ← Newer
        </a>
      ) : (
        <span />
      )}
      <span>
        Page {props.page} of {props.pages}
      </span>
      {props.page < props.pages ? (
        <a href={href(props.page + 1)} rel="next">
          Older →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** <link rel=prev/next> for the <head> of a paginated list. */
export function PageLinks(props: { base: string; page: number; pages: number }) {
  const href = (p: number) => (p === 1 ? props.base : `${props.base}?page=${p}`);
  return (
    <>
      {props.page > 1 ? <link rel="prev" href={href(props.page - 1)} /> : null}
      {props.page < props.pages ? <link rel="next" href={href(props.page + 1)} /> : null}
    </>
  );
}
