import { randomBytes } from 'node:crypto';
import { type Insertable, type Kysely, sql } from 'kysely';
import { articleAtPath } from '../articles/article.paths.js';
import type { Database } from '../db/database.js';
import type { Executor } from '../events.js';
import { dayOf, forgetEarlierDays, hourOf, saltOfDay, visitorHash } from './analytics.salt.js';
import { type AnalyticsEventTable, COUNTER_NAMES, type Counters } from './analytics.table.js';
import { type Beacon, sourceOf } from './beacon.parse.js';

const PATH_CACHE_MS = 600_000;
const PATH_CACHE_MAX = 20_000;
/** Rows per INSERT statement (kept well under both databases' bound-parameter limits). */
const CHUNK = 400;
const YIELD_EVERY = 500;

/** Lets waiting requests (cached pages above all) run while a large buffer is being prepared. */
const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One accepted beacon in memory. `who` (address, user agent, site) is hashed when written and never stored. */
export interface Pending {
  at: Date;
  beacon: Beacon;
  host: string;
  who: { ip: string; ua: string } | null;
}

const zero = (): Counters => Object.fromEntries(COUNTER_NAMES.map((c) => [c, 0])) as unknown as Counters;

function count(c: Counters, b: Beacon): void {
  switch (b.type) {
    case 'view':
      c.views++;
      break;
    case 'depth':
      c[`depth${b.value}` as 'depth25']++;
      break;
    case 'engaged':
      c.engaged_seconds += b.value;
      break;
    case 'listen':
      if (b.value === 0) c.listens++;
      else c[`listen${b.value}` as 'listen25']++;
      break;
    case 'share':
      c.shares++;
      break;
    case 'comment':
      if (b.detail === 'open') c.comment_opens++;
      else c.comment_sends++;
      break;
    case 'signup':
      c.signups++;
      break;
  }
}

const chunks = <T>(rows: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
};

/** `table.col + excluded.col` for each counter: several instances add to the same rows. */
const additive = (table: string, columns: readonly string[]) =>
  Object.fromEntries(columns.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]));

/**
 * Writes buffered beacons: raw events, today's visitor hashes and the additive rollups, in one
 * transaction a batch; and the clean-up (earlier days' salts and hashes, raw beacons past the
 * retention). Used by the collector in its own process, or in a thread of its own on SQLite
 * (src/analytics/analytics.thread.ts).
 */
export class BeaconWriter {
  private paths = new Map<string, number>();
  private pathsAt = 0;
  private salt: { day: string; value: string } | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Earlier days' salts and hashes go; raw beacons older than `retentionDays` before `now` go. */
  async upkeep(now: Date, retentionDays: number): Promise<void> {
    await forgetEarlierDays(this.db, dayOf(now));
    const cutoff = new Date(now.getTime() - Math.max(1, retentionDays) * 86_400_000).toISOString();
    await this.db.deleteFrom('analytics_events').where('at', '<', cutoff).execute();
  }

  private async saltFor(day: string): Promise<string | null> {
    if (this.salt?.day === day) return this.salt.value;
    // A beacon of a day already rotated away is counted without a visitor.
    if (this.salt && day < this.salt.day) return null;
    if (this.salt) await forgetEarlierDays(this.db, day);
    this.salt = { day, value: await saltOfDay(this.db, day) };
    return this.salt.value;
  }

  private async articleOf(path: string): Promise<number> {
    if (Date.now() - this.pathsAt > PATH_CACHE_MS || this.paths.size > PATH_CACHE_MAX) {
      this.paths.clear();
      this.pathsAt = Date.now();
    }
    let id = this.paths.get(path);
    if (id === undefined) {
      id = (await articleAtPath(this.db, path))?.id ?? 0;
      this.paths.set(path, id);
    }
    return id;
  }

  /** Writes one batch in one transaction; `now` stamps it. */
  async write(batch: Pending[], now: Date): Promise<void> {
    const batchId = randomBytes(9).toString('base64url');
    const stamp = now.toISOString();
    const events: Insertable<AnalyticsEventTable>[] = [];
    const hourly = new Map<string, Counters>();
    const daily = new Map<string, Counters>();
    const sources = new Map<string, number>();
    const days = new Map<string, { views: number; visitors: number }>();
    const visitors = new Map<string, { bucket: string; visitor: string; day: string; article_id: number }>();
    // Addresses and salts first (awaited once each), then one synchronous pass, yielding now and then.
    const articles = new Map<string, number>();
    for (const p of batch) if (!articles.has(p.beacon.path)) articles.set(p.beacon.path, await this.articleOf(p.beacon.path));
    const salts = new Map<string, string | null>();
    for (const p of batch) {
      const day = dayOf(p.at);
      if (p.who && p.beacon.type === 'view' && !salts.has(day)) salts.set(day, await this.saltFor(day));
    }
    let n = 0;
    for (const p of batch) {
      if (++n % YIELD_EVERY === 0) await yieldLoop();
      const b = p.beacon;
      const articleId = articles.get(b.path) ?? 0;
      const day = dayOf(p.at);
      const hour = hourOf(p.at);
      const source = b.type === 'view' ? sourceOf(b, p.host) : '';
      events.push({
        at: p.at.toISOString(),
        type: b.type,
        path: b.path,
        article_id: articleId,
        value: b.value,
        detail: b.detail,
        source,
        referrer_host: b.referrerHost,
        utm_source: b.utmSource,
        utm_medium: b.utmMedium,
        utm_campaign: b.utmCampaign,
        screen: b.screen,
      });
      const h = `${hour}|${articleId}`;
      const d = `${day}|${articleId}`;
      if (!hourly.has(h)) hourly.set(h, zero());
      if (!daily.has(d)) daily.set(d, zero());
      count(hourly.get(h) as Counters, b);
      count(daily.get(d) as Counters, b);
      if (!days.has(day)) days.set(day, { views: 0, visitors: 0 });
      if (b.type === 'view') {
        (days.get(day) as { views: number }).views++;
        const s = `${day}|${articleId}|${source}`;
        sources.set(s, (sources.get(s) ?? 0) + 1);
      }
      // Visitors are those who open a page: the other beacons follow a view and add nobody.
      const salt = p.who && b.type === 'view' ? salts.get(day) : null;
      if (p.who && salt) {
        const visitor = visitorHash(salt, p.who.ip, p.who.ua, p.host);
        for (const bucket of [`d:${day}`, `a:${day}:${articleId}`, `h:${hour}:${articleId}`]) {
          visitors.set(`${bucket}|${visitor}`, { bucket, visitor, day, article_id: articleId });
        }
      }
      // The address and user agent are not needed any more.
      p.who = null;
    }
    await this.db.transaction().execute(async (trx) => {
      // No yielding in here: on SQLite the write lock would be held across other work, and
      // another process writing would wait on it with its own event loop blocked.
      for (const rows of chunks(events)) await trx.insertInto('analytics_events').values(rows).execute();
      // Which visitors are new to each bucket: the rows this flush inserted keep its batch id.
      const fresh = new Map<string, number>();
      const visitorRows = [...visitors.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, v]) => ({ ...v, batch: batchId, seen_at: stamp }));
      for (const rows of chunks(visitorRows)) {
        const back = await trx
          .insertInto('analytics_visitors')
          .values(rows)
          .onConflict((oc) => oc.columns(['bucket', 'visitor']).doUpdateSet({ seen_at: (eb) => eb.ref('excluded.seen_at') }))
          .returning(['bucket', 'batch'])
          .execute();
        for (const r of back) if (r.batch === batchId) fresh.set(r.bucket, (fresh.get(r.bucket) ?? 0) + 1);
      }
      for (const [bucket, n] of fresh) {
        const kind = bucket[0];
        const rest = bucket.slice(2);
        const cut = kind === 'd' ? rest.length : rest.lastIndexOf(':');
        const at = rest.slice(0, cut);
        const id = rest.slice(cut + 1);
        if (kind === 'd') {
          if (!days.has(at)) days.set(at, { views: 0, visitors: 0 });
          (days.get(at) as { visitors: number }).visitors += n;
        } else if (kind === 'a') {
          const key = `${at}|${id}`;
          if (!daily.has(key)) daily.set(key, zero());
          (daily.get(key) as Counters).visitors += n;
        } else if (kind === 'h') {
          const key = `${at}|${id}`;
          if (!hourly.has(key)) hourly.set(key, zero());
          (hourly.get(key) as Counters).visitors += n;
        }
      }
      await upsertCounters(trx, 'analytics_hourly', 'hour', hourly);
      await upsertCounters(trx, 'analytics_daily', 'day', daily);
      const sourceRows = [...sources.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      for (const rows of chunks(sourceRows)) {
        await trx
          .insertInto('analytics_sources')
          .values(
            rows.map(([key, views]) => {
              const [day, id, source] = key.split('|');
              return { day, article_id: Number(id), source, views };
            }),
          )
          .onConflict((oc) => oc.columns(['day', 'article_id', 'source']).doUpdateSet(additive('analytics_sources', ['views'])))
          .execute();
      }
      const dayRows = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, v]) => ({ day, ...v }));
      if (dayRows.length > 0) {
        await trx
          .insertInto('analytics_days')
          .values(dayRows)
          .onConflict((oc) => oc.column('day').doUpdateSet(additive('analytics_days', ['views', 'visitors'])))
          .execute();
      }
    });
  }
}

async function upsertCounters(
  trx: Executor,
  table: 'analytics_hourly' | 'analytics_daily',
  keyColumn: 'hour' | 'day',
  rows: Map<string, Counters>,
) {
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const part of chunks(sorted)) {
    const values = part.map(([key, c]) => {
      const [at, id] = key.split('|');
      return { [keyColumn]: at, article_id: Number(id), ...c };
    });
    await trx
      .insertInto(table)
      .values(values as never)
      .onConflict((oc) => oc.columns([keyColumn, 'article_id'] as never).doUpdateSet(additive(table, COUNTER_NAMES) as never))
      .execute();
  }
}
