import type { Role } from '../../src/users/user.table.js';

/**
 * Who may use each route the application knows. A route missing here fails the access-control
 * test: whoever adds a route decides, in this table, who may call it.
 *
 * `public`: anyone (a bad token may be refused with 401, nothing else may refuse).
 * A list of roles: anonymous → 303 to the login page (staff pages) or 401 (API); a bad token
 * → 401; a role outside the list → 403; a role in it → neither 401 nor 403.
 */
export type Access = 'public' | readonly Role[];

const STAFF: Role[] = ['writer', 'moderator', 'editor', 'admin'];
const DESK: Role[] = ['moderator', 'editor', 'admin'];
const NEWSROOM: Role[] = ['writer', 'editor', 'admin'];
const EDITORS: Role[] = ['editor', 'admin'];
const ADMIN: Role[] = ['admin'];
/**
 * Writers reach only their own articles: another's answers 404 like a missing one (the role is
 * allowed, the object is not; test/newsroom/object-access.test.ts holds the route × role × owner matrix).
 */
const OWN_OR_EDITORS: Role[] = NEWSROOM;

export const ACCESS: Record<string, Access> = {
  // Reader site, feeds, SEO documents, files.
  'GET /': 'public',
  'GET /:section': 'public',
  'GET /:section/:slug': 'public',
  'GET /author/:slug': 'public',
  'GET /tag/:slug': 'public',
  'GET /search': 'public',
  'GET /healthz': 'public',
  'GET /media/*': 'public',
  'GET /assets/:file': 'public',
  'GET /images/:file': 'public',
  'GET /audio/*': 'public',
  'GET /publisher-logo.png': 'public',
  'GET /favicon.ico': 'public',
  'GET /apple-touch-icon.png': 'public',
  'GET /icon-192.png': 'public',
  'GET /icon-512.png': 'public',
  'GET /manifest.webmanifest': 'public',
  'GET /podcast-artwork.jpg': 'public',
  'GET /site-image.jpg': 'public',
  'GET /robots.txt': 'public',
  'GET /sitemap.xml': 'public',
  'GET /sitemaps/articles-:page.xml': 'public',
  'GET /sitemaps/:kind.xml': 'public',
  'GET /news-sitemap.xml': 'public',
  'GET /podcast.xml': 'public',
  'GET /:section/podcast.xml': 'public',
  'GET /feed.xml': 'public',
  'GET /atom.xml': 'public',
  'GET /feed.json': 'public',
  'GET /:section/feed.xml': 'public',
  'GET /:section/atom.xml': 'public',
  'GET /:section/feed.json': 'public',
  'GET /author/:slug/feed.xml': 'public',
  'GET /author/:slug/atom.xml': 'public',
  'GET /author/:slug/feed.json': 'public',
  'GET /tag/:slug/feed.xml': 'public',
  'GET /tag/:slug/atom.xml': 'public',
  'GET /tag/:slug/feed.json': 'public',
  // Readers' comments.
  'POST /:section/:slug/comments': 'public',
  'GET /comments/:id/reply': 'public',
  'GET /comments/:id/report': 'public',
  'POST /comments/:id/report': 'public',
  // Public API.
  'GET /api/v1/openapi.json': 'public',
  'GET /api/v1/form-token': 'public',
  'GET /api/v1/articles': 'public',
  'GET /api/v1/articles/:id': 'public',
  'GET /api/v1/articles/:id/comments': 'public',
  'POST /api/v1/articles/:id/comments': 'public',
  'GET /api/v1/search': 'public',
  // Staff sign-in.
  'GET /admin/login': 'public',
  'POST /admin/login': 'public',
  // First-admin setup of an empty install (needs the one-time link printed at start).
  'GET /admin/setup': 'public',
  'POST /admin/setup': 'public',
  'POST /admin/logout': STAFF,
  'GET /admin': STAFF,
  // Every staff member's own account; one-time password-reset links (the secret is the key).
  'GET /admin/account': STAFF,
  'POST /admin/account': STAFF,
  'POST /admin/account/password': STAFF,
  'POST /admin/account/logout-all': STAFF,
  'GET /admin/reset/:token': 'public',
  'POST /admin/reset': 'public',
  // Moderation desk.
  'GET /admin/comments': DESK,
  'POST /admin/comments/:id/:action': DESK,
  'POST /admin/comments/bulk': DESK,
  'GET /admin/comments/log': DESK,
  'GET /admin/comments/settings': DESK,
  'POST /admin/comments/settings': DESK,
  'GET /api/v1/comments': DESK,
  'POST /api/v1/comments/:id/approve': DESK,
  'POST /api/v1/comments/:id/reject': DESK,
  'POST /api/v1/comments/:id/spam': DESK,
  'GET /admin/comments/bans': DESK,
  'POST /admin/comments/bans/:id/lift': DESK,
  'GET /api/v1/comment-bans': DESK,
  'POST /api/v1/comments/:id/ban': DESK,
  'POST /api/v1/comment-bans/:id/lift': DESK,
  // Newsroom.
  'GET /admin/articles': NEWSROOM,
  'GET /admin/articles/new': NEWSROOM,
  'GET /admin/articles/:id/edit': OWN_OR_EDITORS,
  'POST /admin/articles': NEWSROOM,
  'POST /admin/articles/:id': OWN_OR_EDITORS,
  'POST /admin/articles/preview': NEWSROOM,
  'GET /admin/articles/:id/preview': OWN_OR_EDITORS,
  'POST /admin/articles/:id/hero': NEWSROOM,
  'POST /admin/articles/:id/corrections': EDITORS,
  'GET /admin/articles/:id/revisions': OWN_OR_EDITORS,
  'GET /admin/articles/:id/revisions/diff': OWN_OR_EDITORS,
  'POST /admin/articles/:id/revisions/:number/restore': OWN_OR_EDITORS,
  'GET /admin/media': NEWSROOM,
  'POST /admin/media': NEWSROOM,
  'POST /admin/media/:id': NEWSROOM,
  'POST /admin/media/:id/delete': EDITORS,
  'POST /api/v1/articles': NEWSROOM,
  'PATCH /api/v1/articles/:id': NEWSROOM,
  // Site administration (SPEC: admins manage users, sections, settings; editors keep tags and bylines).
  'GET /admin/users': ADMIN,
  'POST /admin/users': ADMIN,
  'POST /admin/users/:id/role': ADMIN,
  'POST /admin/users/:id/deactivate': ADMIN,
  'POST /admin/users/:id/activate': ADMIN,
  'POST /admin/users/:id/reset': ADMIN,
  'GET /admin/tokens': ADMIN,
  'POST /admin/tokens': ADMIN,
  'POST /admin/tokens/:id/revoke': ADMIN,
  'GET /admin/settings': ADMIN,
  'POST /admin/settings': ADMIN,
  'POST /admin/settings/logo': ADMIN,
  'POST /admin/settings/logo/remove': ADMIN,
  'POST /admin/settings/podcast-artwork': ADMIN,
  'POST /admin/settings/podcast-artwork/remove': ADMIN,
  'POST /admin/settings/site-image': ADMIN,
  'POST /admin/settings/site-image/remove': ADMIN,
  'GET /admin/sections': ADMIN,
  'POST /admin/sections': ADMIN,
  'POST /admin/sections/:id': ADMIN,
  'GET /admin/tags': EDITORS,
  'POST /admin/tags/:id': EDITORS,
  'POST /admin/tags/:id/merge': EDITORS,
  // Redirects: editors may look, administrators change them.
  'GET /admin/redirects': EDITORS,
  'POST /admin/redirects': ADMIN,
  'GET /admin/redirects/:id': ADMIN,
  'POST /admin/redirects/:id': ADMIN,
  'POST /admin/redirects/:id/delete': ADMIN,
  'GET /admin/people': EDITORS,
  'POST /admin/people/:id': EDITORS,
  'POST /admin/people/:id/photo': EDITORS,
  // Narration.
  'GET /admin/articles/:id/narration': NEWSROOM,
  'POST /admin/articles/:id/narration': EDITORS,
  'GET /admin/narration': ADMIN,
  'POST /admin/narration': ADMIN,
};

/** Bodies that pass validation, so the answer shows the access decision rather than a 400. */
export const BODIES: Record<string, unknown> = {
  'POST /api/v1/articles': { headline: 'Access matrix draft', section: 'Politics', body: 'Text.', status: 'draft' },
  'PATCH /api/v1/articles/:id': { standfirst: 'Changed by the access matrix.' },
  'POST /api/v1/comments/:id/reject': { reason: 'matrix' },
  'POST /api/v1/comments/:id/ban': { reason: 'matrix' },
};

/** The staff routes that take a multipart upload, with the page their form is on (where the login leads back). */
export const UPLOADS: Record<string, string> = {
  'POST /admin/media': '/admin/media',
  'POST /admin/people/:id/photo': '/admin/people',
  'POST /admin/settings/logo': '/admin/settings',
  'POST /admin/settings/podcast-artwork': '/admin/settings',
  'POST /admin/settings/site-image': '/admin/settings',
};
