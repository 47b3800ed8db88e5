import { articleUrl, sectionUrl } from '../articles/article.urls.js';
import type { Section } from '../sections/section.table.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { AuthorLinks } from '../web/components.js';
import { formatDate } from '../web/format.js';
import { type SearchRequest, searchQueryString } from './search.params.js';
import type { Marked, SearchOutcome, SearchResult } from './search.service.js';

/** Highlighted text: matched words in <mark>, everything escaped by JSX. */
export function Highlight(props: { parts: Marked }) {
  return <>{props.parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

function Result(props: { result: SearchResult; settings: SiteSettings }) {
  const { article: a, headline, snippet } = props.result;
  return (
    <li class="search-result">
      <article>
        <a class="kicker" href={sectionUrl(a.section)}>
          {a.section.name}
        </a>
        <h2 class="search-result-headline">
          <a href={articleUrl(a)}>
            <Highlight parts={headline} />
          </a>
        </h2>
        {snippet.length ? (
          <p class="search-snippet">
            <Highlight parts={snippet} />
          </p>
        ) : null}
        <p class="card-meta">
          {a.authors.length ? (
            <span>
              <AuthorLinks authors={a.authors} />
            </span>
          ) : null}{' '}
          <time datetime={a.publishedAt}>{formatDate(a.publishedAt, props.settings)}</time>
        </p>
      </article>
    </li>
  );
}

function Filters(props: { request: SearchRequest; sections: Section[] }) {
  const r = props.request;
  return (
    <form class="search-page-form" role="search" aria-label="Search with filters" action="/search" method="get">
      <div class="search-field">
        <label for="search-q">Search for</label>
        <input id="search-q" type="search" name="q" value={r.q} maxLength={256} />
      </div>
      <div class="search-field">
        <label for="search-section">Section</label>
        <select id="search-section" name="section">
          <option value="">All sections</option>
          {props.sections.map((s) => (
            <option key={s.id} value={s.slug} selected={s.slug === r.section}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div class="search-field">
        <label for="search-from">From</label>
        <input id="search-from" type="date" name="from" value={r.from} />
      </div>
      <div class="search-field">
        <label for="search-to">To</label>
        <input id="search-to" type="date" name="to" value={r.to} />
      </div>
      <button type="submit">Search</button>
      <p class="search-help">
        Use quotes for a phrase (<code>"city hall"</code>), a minus to leave a word out (<code>-budget</code>) and a star for word
        beginnings (<code>sanct*</code>).
      </p>
    </form>
  );
}

function Empty(props: { request: SearchRequest; outcome: SearchOutcome }) {
  const { request: r, outcome } = props;
  if (!outcome.query.searchable) {
    return (
      <div class="search-empty">
        <p>
          {r.q.trim()
            ? 'Those words are too common to search for on their own. Try a more specific word.'
            : 'Type a word or two to search every article.'}
        </p>
      </div>
    );
  }
  const filtered = r.section || r.from || r.to;
  return (
    <div class="search-empty">
      <p>No articles match your search.</p>
      <ul>
        <li>Check the spelling, or try a different or more general word.</li>
        <li>Use fewer words: every word must appear in an article.</li>
        {filtered ? (
          <li>
            <a href={`/search?${searchQueryString({ q: r.q })}`}>Search all sections and dates</a> instead.
          </li>
        ) : null}
        <li>
          Browse the <a href="/">front page</a>.
        </li>
      </ul>
    </div>
  );
}

export function SearchPage(props: {
  request: SearchRequest;
  outcome: SearchOutcome;
  problems: string[];
  sections: Section[];
  settings: SiteSettings;
}) {
  const { request: r, outcome: o } = props;
  const shown = r.q.trim();
  const first = (o.page - 1) * o.pageSize + 1;
  return (
    <div class="search-page">
      <header class="listing-header">
        <h1>{shown ? <>Search results for “{shown}”</> : 'Search'}</h1>
      </header>
      <Filters request={r} sections={props.sections} />
      {props.problems.length ? (
        <ul class="search-problems">
          {props.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <p class="search-count" role="status">
        {countLine(o, first, Boolean(shown))}
      </p>
      {o.results.length ? (
        <ol class="search-results" start={first}>
          {o.results.map((res) => (
            <Result key={res.article.id} result={res} settings={props.settings} />
          ))}
        </ol>
      ) : o.total === 0 ? (
        <Empty request={r} outcome={o} />
      ) : null}
      <SearchPagination request={r} page={o.page} pages={o.pages} />
    </div>
  );
}

/** The sentence above the results: how many, which of them this page shows, and in what order. */
function countLine(o: SearchOutcome, first: number, asked: boolean): string {
  if (o.total === 0) return asked ? 'No results.' : '';
  const showing = `${first}–${first + o.results.length - 1}`;
  const where = o.section ? ` in ${o.section.name}` : '';
  if (o.broad) {
    const which = o.results.length ? `, showing ${showing}` : '; this page is past the last one';
    return `More than ${o.total.toLocaleString('en')} results${where}, newest first${which}. Add a word to find the most relevant.`;
  }
  const counted = `${o.total} ${o.total === 1 ? 'result' : 'results'}`;
  if (!o.results.length) return `${counted}; this page is past the last one.`;
  return `${counted}${o.pages > 1 ? `, showing ${showing}` : ''}${where}.`;
}

function SearchPagination(props: { request: SearchRequest; page: number; pages: number }) {
  if (props.pages <= 1) return null;
  const href = (page: number) => `/search?${searchQueryString({ ...props.request, page })}`;
  return (
    <nav class="pagination" aria-label="Result pages">
      {props.page > 1 ? (
        <a href={href(Math.min(props.page - 1, props.pages))} rel="prev">
          ← Previous
        </a>
      ) : (
        <span />
      )}
      <span>
        Page {Math.min(props.page, props.pages)} of {props.pages}
      </span>
      {props.page < props.pages ? (
        <a href={href(props.page + 1)} rel="next">
          Next →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
