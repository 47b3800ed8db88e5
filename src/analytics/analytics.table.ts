import type { Generated } from 'kysely';

/** The counters kept per article and hour and per article and day (additive: flushes add to them). */
export interface Counters {
  views: number;
  visitors: number;
  engaged_seconds: number;
  depth25: number;
  depth50: number;
  depth75: number;
  depth100: number;
  listens: number;
  listen25: number;
  listen50: number;
  listen75: number;
  listen100: number;
  shares: number;
  comment_opens: number;
  comment_sends: number;
  signups: number;
}
export const COUNTER_NAMES: (keyof Counters)[] = [
  'views',
  'visitors',
  'engaged_seconds',
  'depth25',
  'depth50',
  'depth75',
  'depth100',
  'listens',
  'listen25',
  'listen50',
  'listen75',
  'listen100',
  'shares',
  'comment_opens',
  'comment_sends',
  'signups',
];

type CounterColumns = { [K in keyof Counters]: Generated<number> };

/** One beacon as received (no visitor identifier, no address), kept `analyticsRetentionDays`. */
export interface AnalyticsEventTable {
  id: Generated<number>;
  /** ISO UTC time the server received it. */
  at: string;
  type: string;
  path: string;
  /** The article at `path`, 0 for any other page. */
  article_id: number;
  /** depth: 25/50/75/100; listen: 0 (started)/25/50/75/100; engaged: seconds. */
  value: number;
  /** share: the network; comment: open or submit. */
  detail: string;
  source: string;
  referrer_host: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  screen: string;
}

export interface AnalyticsHourlyTable extends CounterColumns {
  /** `YYYY-MM-DDTHH` (UTC). */
  hour: string;
  article_id: number;
}

export interface AnalyticsDailyTable extends CounterColumns {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  article_id: number;
}

export interface AnalyticsSourceTable {
  day: string;
  article_id: number;
  source: string;
  views: Generated<number>;
}

/** Site-wide figures of a day (visitors across every page). */
export interface AnalyticsDayTable {
  day: string;
  views: Generated<number>;
  visitors: Generated<number>;
}

/** Today's salt only: replaced at each day change. */
export interface AnalyticsSaltTable {
  day: string;
  salt: string;
}

/** Today's visitor hashes per bucket (site, article-day, article-hour): deleted at each day change. */
export interface AnalyticsVisitorTable {
  bucket: string;
  visitor: string;
  day: string;
  article_id: number;
  /** The flush that first saw this visitor in this bucket (tells a new visitor from a returning one). */
  batch: string;
  seen_at: string;
}
