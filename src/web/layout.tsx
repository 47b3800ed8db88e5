import type { ComponentChildren } from 'preact';
import type { Section } from '../sections/section.table.js';
import { SITE_PATHS, THEME_COLOR, versioned } from '../seo/site.assets.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { assetUrl } from './assets.js';

export interface PageMeta {
  title: string;
  description?: string;
  /** Absolute canonical URL. */
  canonical?: string;
  /** Extra <head> content: Open Graph, JSON-LD, rel=prev/next… */
  head?: ComponentChildren;
  /** Client modules this page needs, by built name (e.g. "article.js"). */
  scripts?: string[];
  noindex?: boolean;
}

export interface LayoutProps extends PageMeta {
  settings: SiteSettings;
  sections: Section[];
  /** Slug of the section the page belongs to, to mark it in the navigation. */
  currentSection?: string;
  children: ComponentChildren;
}

export function Layout(props: LayoutProps) {
  const { settings } = props;
  const lang = settings.locale.split('-')[0] || 'en';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.canonical ? <link rel="canonical" href={props.canonical} /> : null}
        <meta name="robots" content={props.noindex ? 'noindex' : 'index, follow, max-image-preview:large, max-snippet:-1'} />
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href={assetUrl('site.css')} />
        <link rel="icon" href={versioned(settings, SITE_PATHS.favicon)} sizes="16x16 32x32 48x48" />
        <link rel="apple-touch-icon" href={versioned(settings, SITE_PATHS.appleTouch)} />
        <link rel="manifest" href={versioned(settings, SITE_PATHS.manifest)} />
        <meta name="theme-color" content={THEME_COLOR} />
        <link rel="alternate" type="application/rss+xml" title={`${settings.siteName} (RSS)`} href="/feed.xml" />
        <link rel="alternate" type="application/atom+xml" title={`${settings.siteName} (Atom)`} href="/atom.xml" />
        <link rel="alternate" type="application/feed+json" title={`${settings.siteName} (JSON Feed)`} href="/feed.json" />
        {settings.narrationEnabled ? (
          <link rel="alternate" type="application/rss+xml" title={`${settings.siteName} podcast`} href="/podcast.xml" />
        ) : null}
        {props.head}
        {(props.scripts ?? []).map((s) => (
          <script type="module" src={assetUrl(s)} key={s} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="masthead">
          <div class="masthead-inner">
            <a class="brand" href="/">
              {settings.logo ? (
                <img
                  class="brand-logo"
                  src={settings.logo.url}
                  alt=""
                  height={32}
                  width={Math.round((32 * settings.logo.width) / settings.logo.height)}
                />
              ) : null}
              {settings.siteName}
            </a>
            <form class="search-form" role="search" aria-label="Site" action="/search" method="get">
              <label class="visually-hidden" for="site-search">
                Search articles
              </label>
              <input id="site-search" type="search" name="q" placeholder="Search" autocomplete="off" />
              <button type="submit">Search</button>
            </form>
          </div>
          <nav class="sections-nav" aria-label="Sections">
            <ul>
              {props.sections.map((s) => (
                <li key={s.id}>
                  <a href={`/${s.slug}`} aria-current={props.currentSection === s.slug ? 'page' : undefined}>
                    {s.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            <strong>{settings.siteName}</strong> — {settings.siteDescription}
          </p>
          <nav aria-label="Footer">
            <ul>
              <li>
                <a href="/feed.xml">RSS</a>
              </li>
              <li>
                <a href="/atom.xml">Atom</a>
              </li>
              <li>
                <a href="/feed.json">JSON Feed</a>
              </li>
              <li>
                <a href="/sitemap.xml">Sitemap</a>
              </li>
            </ul>
          </nav>
        </footer>
      </body>
    </html>
  );
}
