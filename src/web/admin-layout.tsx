import type { ComponentChildren } from 'preact';
import type { Actor, Role } from '../users/user.table.js';
import { allAssets, assetUrl } from './assets.js';
import { CSRF_FIELD } from './auth.js';

/** Links of the newsroom navigation and the roles that may follow them. */
export const ADMIN_NAV: { href: string; label: string; roles: Role[] }[] = [
  { href: '/admin', label: 'Dashboard', roles: ['admin', 'editor', 'writer', 'moderator'] },
  { href: '/admin/articles', label: 'Articles', roles: ['admin', 'editor', 'writer'] },
  { href: '/admin/comments', label: 'Comments', roles: ['admin', 'editor', 'moderator'] },
  { href: '/admin/media', label: 'Media', roles: ['admin', 'editor', 'writer'] },
  { href: '/admin/analytics', label: 'Analytics', roles: ['admin', 'editor', 'writer'] },
  { href: '/admin/sections', label: 'Sections', roles: ['admin'] },
  { href: '/admin/tags', label: 'Tags', roles: ['admin', 'editor'] },
  { href: '/admin/people', label: 'Authors', roles: ['admin', 'editor'] },
  { href: '/admin/redirects', label: 'Redirects', roles: ['admin', 'editor'] },
  { href: '/admin/import', label: 'Import', roles: ['admin'] },
  { href: '/admin/newsletters', label: 'Newsletters', roles: ['admin', 'editor'] },
  { href: '/admin/users', label: 'Staff', roles: ['admin'] },
  { href: '/admin/tokens', label: 'API tokens', roles: ['admin'] },
  { href: '/admin/webhooks', label: 'Webhooks', roles: ['admin'] },
  { href: '/admin/settings', label: 'Settings', roles: ['admin'] },
  { href: '/admin/narration', label: 'Narration', roles: ['admin'] },
  { href: '/admin/narration/lexicon', label: 'Pronunciation', roles: ['admin', 'editor'] },
];

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

export function AdminLayout(props: {
  title: string;
  siteName: string;
  actor?: Actor | null;
  csrf?: string;
  current?: string;
  scripts?: string[];
  children: ComponentChildren;
}) {
  const { actor } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} — ${props.siteName} newsroom`}</title>
        <link rel="stylesheet" href={assetUrl('site.css')} />
        {assetExists('admin.css') ? <link rel="stylesheet" href={assetUrl('admin.css')} /> : null}
        {(props.scripts ?? []).map((s) => (
          <script type="module" src={assetUrl(s)} key={s} />
        ))}
      </head>
      <body class="admin">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="masthead admin-masthead">
          <div class="masthead-inner">
            <a class="brand" href="/admin">
              {props.siteName} <span class="brand-sub">newsroom</span>
            </a>
            {actor ? (
              <form method="post" action="/admin/logout" class="logout">
                {props.csrf ? <CsrfField token={props.csrf} /> : null}
                <span class="whoami">
                  <a href="/admin/account" title="Your account: name, email, password, sessions">
                    {actor.name}
                  </a>{' '}
                  · {actor.role}
                </span>{' '}
                <button type="submit">Log out</button>
              </form>
            ) : null}
          </div>
          {actor ? (
            <nav class="sections-nav" aria-label="Newsroom">
              <ul>
                {ADMIN_NAV.filter((n) => n.roles.includes(actor.role)).map((n) => (
                  <li key={n.href}>
                    <a href={n.href} aria-current={props.current === n.href ? 'page' : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
                <li>
                  <a href="/">View site</a>
                </li>
              </ul>
            </nav>
          ) : null}
        </header>
        <main id="main" tabIndex={-1} class="admin-main">
          {props.children}
        </main>
      </body>
    </html>
  );
}

function assetExists(name: string): boolean {
  return allAssets().has(name);
}
