import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { findJobs } from '../../src/jobs/job.repo.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { closeMailers } from '../../src/mail/mail.transport.js';
import { localClock, queueDigests } from '../../src/newsletters/issue.auto.js';
import { issueSendHandler } from '../../src/newsletters/issue.job.js';
import { parseArticleIds, SEND_JOB } from '../../src/newsletters/issue.service.js';
import { newsletterCommand } from '../../src/newsletters/newsletter.cli.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { addSubscribers, emails, header, listId, setSiteUrl, TEST_SECRET } from './issue.setup.js';
import { mailTo } from './subscribe.helpers.js';

const run = promisify(execFile);
const config = { secret: TEST_SECRET, smtpUrl: undefined, mailFrom: undefined };

async function setList(
  db: Kysely<Database>,
  slug: string,
  values: { auto_mode?: 'off' | 'on_publish' | 'daily_digest'; digest_time?: string; section_id?: number | null },
) {
  await db.updateTable('newsletter_lists').set(values).where('slug', '=', slug).execute();
}

async function addList(db: Kysely<Database>, slug: string, sectionId: number | null, autoMode: 'off' | 'on_publish' | 'daily_digest') {
  const now = new Date().toISOString();
  await db
    .insertInto('newsletter_lists')
    .values({
      slug,
      name: `List ${slug}`,
      description: '',
      section_id: sectionId,
      kind: sectionId ? 'section' : 'custom',
      auto_mode: autoMode,
      digest_time: '07:00',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return listId(db, slug);
}

const issuesOf = (db: Kysely<Database>, list: number) =>
  db.selectFrom('newsletter_issues').selectAll().where('list_id', '=', list).orderBy('id').execute();

describe.each(DIALECTS)('automatic newsletters and `gazette newsletter send` on %s', (dialect) => {
  let t: TestDb;
  let sink: SmtpSink;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    sink = await startSmtpSink();
    await setSiteUrl(t.db);
  });
  afterEach(() => {
    sink.clear();
    closeMailers();
  });
  afterAll(async () => {
    await sink.close();
    await t.destroy();
  });

  it('on publish: lists of the article’s section and site-wide ones get one issue, never twice', async () => {
    const first = await makeArticle(t.db, { section: 'Politics', headline: 'Budget passes' });
    const politics = (await t.db.selectFrom('sections').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow()).id;
    const sectionList = await addList(t.db, `politics-${dialect}`, politics, 'on_publish');
    const everything = await addList(t.db, `all-${dialect}`, null, 'on_publish');
    const quiet = await addList(t.db, `quiet-${dialect}`, politics, 'off');

    const reader = `politics-reader-${dialect}@example.test`;
    await addSubscribers(t.db, `politics-${dialect}`, [reader]);
    const article = await makeArticle(t.db, { section: 'Politics', headline: 'Mayor resigns' });
    const sports = await makeArticle(t.db, { section: 'Sports', headline: 'Harbor FC wins' });
    const onSection = await issuesOf(t.db, sectionList);
    expect(onSection.map((i) => [i.subject, i.status, i.origin])).toEqual([['Mayor resigns', 'sending', 'on_publish']]);
    expect(parseArticleIds(onSection[0].article_ids)).toEqual([article.id]);
    expect((await issuesOf(t.db, everything)).map((i) => i.subject)).toEqual(['Mayor resigns', 'Harbor FC wins']);
    expect(await issuesOf(t.db, quiet)).toEqual([]);
    expect(onSection.some((i) => parseArticleIds(i.article_ids).includes(first.id))).toBe(false);
    expect(sports.id).toBeGreaterThan(0);
    const jobs = await findJobs(t.db, { type: SEND_JOB });
    expect(jobs.length).toBe(3);

    // The job runner sends them: the section list's reader gets the article.
    await mailTo(t.db, sink);
    const runner = createJobRunner({ db: t.db, handlers: { [SEND_JOB]: issueSendHandler({ db: t.db, config }).handler } });
    expect(await runner.runDue()).toBe(3);
    const [mail] = await sink.waitFor(1);
    expect(mail.envelopeTo).toEqual([reader]);
    expect(mail.subject).toBe('Mayor resigns');
    expect((await issuesOf(t.db, sectionList))[0].status).toBe('sent');
    await t.db.deleteFrom('settings').where('key', '=', 'mail').execute();

    // Unpublished and published again: no second issue.
    await t.db.transaction().execute(async (trx) => {
      const { recordEvent } = await import('../../src/events.js');
      await recordEvent(trx, 'article.published', article.id, {});
    });
    expect(await issuesOf(t.db, sectionList)).toHaveLength(1);
    await setList(t.db, `politics-${dialect}`, { auto_mode: 'off' });
    await setList(t.db, `all-${dialect}`, { auto_mode: 'off' });
  });

  it('daily digest: one issue at the list’s local time with the articles since the last one; none → no issue', async () => {
    const story = await makeArticle(t.db, { headline: 'Digest story' });
    const list = await addList(t.db, `digest-${dialect}`, null, 'daily_digest');
    await setList(t.db, `digest-${dialect}`, { digest_time: '07:00' });
    await t.db
      .insertInto('settings')
      .values({ key: 'timeZone', value: JSON.stringify('Asia/Tokyo') })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify('Asia/Tokyo') }))
      .execute();
    expect(localClock(new Date('2027-01-15T12:10:00Z'), 'America/New_York')).toEqual({ date: '2027-01-15', minutes: 7 * 60 + 10 });
    // Days after the articles were published: 22:10 UTC is 07:10 the next day in Tokyo (no daylight saving).
    const day = new Date(Date.now() + 2 * 86400_000);
    day.setUTCHours(0, 0, 0, 0);
    const utc = (hours: number, minutes: number, plusDays = 0) =>
      new Date(day.getTime() + ((plusDays * 24 + hours) * 60 + minutes) * 60_000);
    const localDate = localClock(utc(22, 10), 'Asia/Tokyo').date;
    expect(localClock(utc(22, 10), 'Asia/Tokyo').minutes).toBe(7 * 60 + 10);

    // 06:50 in Tokyo: not yet.
    expect(await queueDigests(t.db, utc(21, 50))).toEqual([]);
    const at = utc(22, 10);
    const queued = await queueDigests(t.db, at);
    expect(queued).toHaveLength(1);
    const [issue] = await issuesOf(t.db, list);
    expect(issue.origin).toBe('digest');
    expect(issue.status).toBe('sending');
    expect(issue.trigger_key).toBe(`digest:${list}:${localDate}`);
    expect(parseArticleIds(issue.article_ids)).toContain(story.id);
    // Later the same day: no second digest.
    expect(await queueDigests(t.db, utc(23, 59))).toEqual([]);
    // The next day with nothing published since: no issue, no email.
    expect(await queueDigests(t.db, utc(22, 10, 1))).toEqual([]);
    expect(await issuesOf(t.db, list)).toHaveLength(1);
    await setList(t.db, `digest-${dialect}`, { auto_mode: 'off' });
  });

  it('newsletter send LIST: sends the articles since the last issue and prints counts; nothing new; unknown list', async () => {
    await mailTo(t.db, sink);
    const people = emails(`cli-${dialect}-`, 3);
    await addSubscribers(t.db, 'daily', people);
    const lines: string[] = [];
    const errors: string[] = [];
    const io = { config, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };

    expect(await newsletterCommand(t.db, ['send', 'daily'], io)).toBe(0);
    const result = JSON.parse(lines[0]);
    expect(result).toMatchObject({ list: 'daily', status: 'sent', recipients: 3, sent: 3, failed: 0, waiting: 0 });
    const mails = await sink.waitFor(3);
    expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual([...people].sort());
    expect(header(mails[0], 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    lines.length = 0;
    expect(await newsletterCommand(t.db, ['send', 'daily'], io)).toBe(0);
    expect(lines[0]).toMatch(/^Nothing to send/);

    expect(await newsletterCommand(t.db, ['send', 'no-such-list'], io)).toBe(1);
    expect(errors.at(-1)).toContain('There is no newsletter list “no-such-list”');
    expect(await newsletterCommand(t.db, ['send'], io)).toBe(1);
    await t.db.deleteFrom('settings').where('key', '=', 'mail').execute();
  });

  it('gazette newsletter send daily, as a process with GAZETTE_SMTP_URL', async () => {
    await makeArticle(t.db, { headline: 'Ferry timetable changes' });
    const env = {
      ...process.env,
      GAZETTE_DATA: t.dataDir,
      GAZETTE_SECRET: t.config.secret,
      DATABASE_URL: t.databaseUrl ?? '',
      GAZETTE_SMTP_URL: sink.url,
      GAZETTE_MAIL_FROM: 'Harbor News <news@example.test>',
      LOG_LEVEL: 'silent',
    };
    const gazette = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env, timeout: 120_000 }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const sent = await gazette(['newsletter', 'send', 'daily']);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout.trim().split('\n')[0])).toMatchObject({ list: 'daily', status: 'sent', sent: 3 });
    const mails = await sink.waitFor(3);
    expect(mails[0].subject).toMatch(/^The daily briefing — /);
    expect(mails[0].from?.text).toContain('Harbor News');
    expect(String(mails[0].html)).toContain('Ferry timetable changes');

    const unknown = await gazette(['newsletter', 'send', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no newsletter list “nope”');
  });
});
