import type {
  AnalyticsDailyTable,
  AnalyticsDayTable,
  AnalyticsEventTable,
  AnalyticsHourlyTable,
  AnalyticsSaltTable,
  AnalyticsSourceTable,
  AnalyticsVisitorTable,
} from '../analytics/analytics.table.js';
import type { ArticleAuthorTable, ArticleTable } from '../articles/article.table.js';
import type { CorrectionTable } from '../articles/correction.table.js';
import type { PersonTable } from '../authors/person.table.js';
import type {
  CommentBanTable,
  CommenterTable,
  CommentReportTable,
  CommentTable,
  CommentWordTable,
  ModerationLogTable,
  SpamDocTable,
  SpamTokenTable,
} from '../comments/comment.table.js';
import type { EventTable, SettingTable } from '../events.table.js';
import type { ImportMapTable, ImportRunTable } from '../import/import.table.js';
import type { JobTable } from '../jobs/job.table.js';
import type { MediaTable } from '../media/media.table.js';
import type { LexiconEntryTable } from '../narration/lexicon.table.js';
import type { NarrationTable } from '../narration/narration.table.js';
import type { NewsletterDeliveryTable } from '../newsletters/delivery.table.js';
import type { NewsletterIssueTable } from '../newsletters/issue.table.js';
import type { NewsletterListTable, SubscriberTable, SubscriptionTable } from '../newsletters/newsletter.table.js';
import type { RedirectTable } from '../redirects/redirect.table.js';
import type { RevisionTable } from '../revisions/revision.table.js';
import type { SectionTable } from '../sections/section.table.js';
import type { ArticleTagTable, TagTable } from '../tags/tag.table.js';
import type { SetupTokenTable } from '../users/setup.table.js';
import type { ApiTokenTable, PasswordResetTable, SessionTable, UserTable } from '../users/user.table.js';
import type { WebhookDeliveryTable, WebhookEndpointTable } from '../webhooks/webhook.table.js';

/** Every table, as Kysely sees it. Each folder owns the types of its own tables. */
export interface Database {
  sections: SectionTable;
  people: PersonTable;
  media: MediaTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  tags: TagTable;
  article_tags: ArticleTagTable;
  events: EventTable;
  settings: SettingTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  setup_tokens: SetupTokenTable;
  password_resets: PasswordResetTable;
  commenters: CommenterTable;
  comments: CommentTable;
  comment_reports: CommentReportTable;
  moderation_log: ModerationLogTable;
  comment_bans: CommentBanTable;
  comment_words: CommentWordTable;
  spam_tokens: SpamTokenTable;
  spam_docs: SpamDocTable;
  jobs: JobTable;
  narrations: NarrationTable;
  lexicon_entries: LexiconEntryTable;
  article_revisions: RevisionTable;
  article_corrections: CorrectionTable;
  redirects: RedirectTable;
  import_map: ImportMapTable;
  import_runs: ImportRunTable;
  newsletter_lists: NewsletterListTable;
  subscribers: SubscriberTable;
  subscriptions: SubscriptionTable;
  newsletter_issues: NewsletterIssueTable;
  newsletter_deliveries: NewsletterDeliveryTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  analytics_events: AnalyticsEventTable;
  analytics_hourly: AnalyticsHourlyTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_sources: AnalyticsSourceTable;
  analytics_days: AnalyticsDayTable;
  analytics_salts: AnalyticsSaltTable;
  analytics_visitors: AnalyticsVisitorTable;
}
