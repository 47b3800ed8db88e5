import type { Migration } from 'kysely';
import * as foundation from './2026_11_30_0300_foundation.js';
import * as users from './2026_11_30_0400_users.js';
import * as comments from './2026_11_30_0410_comments.js';
import * as jobs from './2026_11_30_0500_jobs.js';
import * as narration from './2026_11_30_0510_narration.js';
import * as search from './2026_11_30_0600_search.js';
import * as newsroom from './2026_11_30_0700_newsroom.js';
import * as listings from './2026_11_30_0800_listings.js';
import * as commentThreads from './2026_11_30_0900_comment_threads.js';
import * as sitemapIndex from './2026_11_30_0910_sitemap_index.js';
import * as articlesHeroMedia from './2026_11_30_1400_articles_hero_media.js';
import * as searchTerms from './2026_11_30_1600_search_terms.js';
import * as headlineSearch from './2026_11_30_1700_headline_search.js';
import * as commentsScore from './2026_11_30_1710_comments_score.js';
import * as newsroomLists from './2026_11_30_1720_newsroom_lists.js';
import * as searchSections from './2026_11_30_1800_search_sections.js';
import * as passwordResets from './2026_12_06_1000_password_resets.js';
import * as commentBans from './2026_12_06_1010_comment_bans.js';
import * as redirects from './2026_12_06_1020_redirects.js';
import * as setupToken from './2026_12_06_1030_setup_token.js';
import * as secretFingerprint from './2026_12_06_1100_secret_fingerprint.js';
import * as eventCommitOrder from './2026_12_06_1110_event_commit_order.js';
import * as siteIdentity from './2026_12_06_1111_site_identity.js';
import * as sitemapContentDates from './2026_12_06_1200_sitemap_content_dates.js';
import * as imports from './2026_12_06_1300_imports.js';
import * as newsletters from './2026_12_06_1320_newsletters.js';
import * as newsletterIssues from './2026_12_06_1325_newsletter_issues.js';
import * as webhooks from './2026_12_06_1330_webhooks.js';
import * as analytics from './2026_12_06_1340_analytics.js';
import * as narrationLexicon from './2026_12_06_1350_narration_lexicon.js';

/** Every migration, by its date-prefixed name. Append new ones; never edit a merged one. */
export const migrations: Record<string, Migration> = {
  '2026_11_30_0300_foundation': foundation,
  '2026_11_30_0400_users': users,
  '2026_11_30_0410_comments': comments,
  '2026_11_30_0500_jobs': jobs,
  '2026_11_30_0510_narration': narration,
  '2026_11_30_0600_search': search,
  '2026_11_30_0700_newsroom': newsroom,
  '2026_11_30_0800_listings': listings,
  '2026_11_30_0900_comment_threads': commentThreads,
  '2026_11_30_0910_sitemap_index': sitemapIndex,
  '2026_11_30_1400_articles_hero_media': articlesHeroMedia,
  '2026_11_30_1600_search_terms': searchTerms,
  '2026_11_30_1700_headline_search': headlineSearch,
  '2026_11_30_1710_comments_score': commentsScore,
  '2026_11_30_1720_newsroom_lists': newsroomLists,
  '2026_11_30_1800_search_sections': searchSections,
  '2026_12_06_1000_password_resets': passwordResets,
  '2026_12_06_1010_comment_bans': commentBans,
  '2026_12_06_1020_redirects': redirects,
  '2026_12_06_1030_setup_token': setupToken,
  '2026_12_06_1100_secret_fingerprint': secretFingerprint,
  '2026_12_06_1110_event_commit_order': eventCommitOrder,
  '2026_12_06_1111_site_identity': siteIdentity,
  '2026_12_06_1200_sitemap_content_dates': sitemapContentDates,
  '2026_12_06_1300_imports': imports,
  '2026_12_06_1320_newsletters': newsletters,
  '2026_12_06_1325_newsletter_issues': newsletterIssues,
  '2026_12_06_1330_webhooks': webhooks,
  '2026_12_06_1340_analytics': analytics,
  '2026_12_06_1350_narration_lexicon': narrationLexicon,
};
