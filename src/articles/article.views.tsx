import type { ComponentChildren } from 'preact';
import { SignupForm } from '../newsletters/subscriber.form.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { readingMinutes } from '../text/reading.js';
import { AuthorLinks, Card, Picture } from '../web/components.js';
import { formatDateTime } from '../web/format.js';
import type { ArticleCard, ArticleView } from './article.repo.js';
import { sectionUrl, tagUrl } from './article.urls.js';
import { ShareBar } from './share.js';

export interface ArticlePageProps {
  article: ArticleView;
  settings: SiteSettings;
  canonical: string;
  related: ArticleCard[];
  /** The "Listen to this article" player, when a narration is ready. */
  listen?: ComponentChildren;
  /** The discussion section (comments and form). */
  discussion: ComponentChildren;
  /** Content appended after the body (e.g. corrections). */
  afterBody?: ComponentChildren;
}

export function ArticlePage(props: ArticlePageProps) {
  const { article: a, settings } = props;
  const minutes = readingMinutes(a.wordCount, settings.wordsPerMinute);
  const updated = a.updatedAt && a.updatedAt > a.publishedAt ? a.updatedAt : null;
  return (
    <article class="article" data-article-id={a.id}>
      <header class="article-header">
        <a class="kicker" href={sectionUrl(a.section)}>
          {a.section.name}
        </a>
        <h1>{a.headline}</h1>
        {a.standfirst ? <p class="standfirst">{a.standfirst}</p> : null}
        <div class="article-meta">
          <p class="byline">
            {a.authors.length ? (
              <span class="authors">
                <span class="visually-hidden">By </span>
                <AuthorLinks authors={a.authors} />
              </span>
            ) : null}
            <span class="reading-time">{minutes} min read</span>
          </p>
          <p class="dates">
            <span>
              Published <time datetime={a.publishedAt}>{formatDateTime(a.publishedAt, settings)}</time>
            </span>
            {updated ? (
              <span>
                Updated <time datetime={updated}>{formatDateTime(updated, settings)}</time>
              </span>
            ) : null}
          </p>
        </div>
        {props.listen}
        <ShareBar url={props.canonical} headline={a.headline} />
      </header>
      {a.hero ? (
        <figure class="hero">
          <Picture media={a.hero} alt={a.hero.alt} sizes="(min-width: 1100px) 1040px, 100vw" eager />
          {a.heroCaption || a.heroCredit ? (
            <figcaption>
              {a.heroCaption ? <span class="caption">{a.heroCaption}</span> : null}
              {a.heroCredit ? <span class="credit">{a.heroCredit}</span> : null}
            </figcaption>
          ) : null}
        </figure>
      ) : null}
      {/* body_html was sanitised with a strict allowlist when the article was saved. */}
      <div class="article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
      {props.afterBody}
      {a.tags.length ? (
        <nav class="tags" aria-label="Topics">
          <h2 class="visually-hidden">Topics</h2>
          <ul>
            {a.tags.map((t) => (
              <li key={t.id}>
                <a href={tagUrl(t)} rel="tag">
                  {t.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <SignupForm idPrefix="nl-article" />
      {props.discussion}
      {props.related.length ? (
        <aside class="related" aria-labelledby="related-title">
          <h2 id="related-title">More in {a.section.name}</h2>
          <div class="related-list">
            {props.related.map((r) => (
              <Card key={r.id} article={r} settings={settings} image showSection={false} level={3} />
            ))}
          </div>
        </aside>
      ) : null}
    </article>
  );
}
