import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeMailers } from '../../src/mail/mail.transport.js';
import { deliveryCounts } from '../../src/newsletters/delivery.repo.js';
import { runIssueSend } from '../../src/newsletters/issue.job.js';
import { findIssue } from '../../src/newsletters/issue.repo.js';
import { createIssue, queueIssue } from '../../src/newsletters/issue.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js';
import { addSubscribers, emails, header, listId, SITE, setSiteUrl, TEST_SECRET } from './issue.setup.js';
import { FORM, mailTo } from './subscribe.helpers.js';

const config = { secret: TEST_SECRET, smtpUrl: undefined, mailFrom: undefined };

describe.each(DIALECTS)('sending a newsletter issue through a real SMTP server on %s', (dialect) => {
  let h: TestApp;
  let sink: SmtpSink;
  const refuse: Record<string, number> = {};
  beforeAll(async () => {
    h = await createTestApp(dialect);
    sink = await startSmtpSink({ rejectRecipients: refuse });
    await mailTo(h.t.db, sink);
    await setSiteUrl(h.t.db);
  });
  afterEach(() => {
    sink.clear();
    closeMailers();
  });
  afterAll(async () => {
    await sink.close();
    await h.close();
  });

  /** A queued issue of the list with fresh articles. */
  async function queued(slug: string, subject: string, articles = 2): Promise<number> {
    const ids: number[] = [];
    for (let i = 0; i < articles; i++) ids.push((await makeArticle(h.t.db, { headline: `${subject} story ${i + 1}` })).id);
    const list = await listId(h.t.db, slug);
    return h.t.db.transaction().execute(async (trx) => {
      const id = await createIssue(trx, { listId: list, subject, intro: 'Good morning.\n\nHere is the news.', articleIds: ids });
      await queueIssue(trx, { id });
      return id;
    });
  }

  it('mails every confirmed subscriber once, with RFC 8058 headers, HTML and text; one click unsubscribes', async () => {
    const confirmed = emails(`c-${dialect}-`, 5);
    await addSubscribers(h.t.db, 'daily', confirmed);
    await addSubscribers(h.t.db, 'daily', emails(`p-${dialect}-`, 2), 'pending');
    await addSubscribers(h.t.db, 'daily', emails(`u-${dialect}-`, 1), 'unsubscribed');
    const issueId = await queued('daily', 'Morning briefing');
    const outcome = await runIssueSend({ db: h.t.db, config }, issueId);
    expect(outcome).toMatchObject({ sent: 5, failed: 0, bounced: 0, remaining: 0, done: true });
    const messages = await sink.waitFor(5);
    expect(messages.flatMap((m) => m.envelopeTo).sort()).toEqual([...confirmed].sort());

    const m = messages.find((x) => x.envelopeTo[0] === confirmed[0]);
    if (!m) throw new Error('no message to the first subscriber');
    expect(m.subject).toBe('Morning briefing');
    expect(m.from?.text).toContain('news@example.test');
    const unsubscribe = header(m, 'list-unsubscribe');
    expect(unsubscribe).toMatch(/^<https:\/\/news\.example\.test\/newsletters\/unsubscribe\?token=[^>]+&list=\d+>$/);
    expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const html = String(m.html);
    expect(html).toContain('<meta name="color-scheme" content="light dark"');
    expect(html).toContain('prefers-color-scheme: dark');
    expect(html).toMatch(/<html lang="en-US"/);
    expect(html).toContain('role="presentation"');
    expect(html).toContain('Morning briefing story 1');
    expect(html).not.toContain('%%GAZETTE');
    expect(html).toContain(`${SITE}/newsletters/preferences?token=`);
    expect(m.text).toContain('Morning briefing story 2');
    expect(m.text).toContain(`Unsubscribe: ${SITE}/newsletters/unsubscribe?token=`);
    expect(m.text).toContain('Good morning.');

    // The mail client's one-click POST to the List-Unsubscribe address, without login.
    const url = new URL(unsubscribe.slice(1, -1));
    const res = await h.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': FORM },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);

    const issue = await findIssue(h.t.db, issueId);
    expect(issue).toMatchObject({ status: 'sent', recipients: 5, sent_count: 5, failed_count: 0 });

    // The next issue skips the one who left.
    sink.clear();
    const next = await queued('daily', 'Evening briefing', 1);
    await runIssueSend({ db: h.t.db, config }, next);
    const again = await sink.waitFor(4);
    expect(again.flatMap((x) => x.envelopeTo).sort()).toEqual(confirmed.slice(1).sort());
    expect((await findIssue(h.t.db, next))?.recipients).toBe(4);
  });

  it('a permanent 5xx for one address marks it bounced; the others are sent', async () => {
    const people = emails(`b-${dialect}-`, 4);
    const [, , , bouncedId] = await addSubscribers(h.t.db, 'breaking', people);
    refuse[people[3]] = 550;
    try {
      const issueId = await queued('breaking', 'Storm warning', 1);
      const outcome = await runIssueSend({ db: h.t.db, config }, issueId);
      expect(outcome).toMatchObject({ sent: 3, bounced: 1, done: true });
      expect((await sink.waitFor(3)).length).toBe(3);
      const subscriber = await h.t.db
        .selectFrom('subscribers')
        .select(['status', 'bounced_at'])
        .where('id', '=', bouncedId)
        .executeTakeFirstOrThrow();
      expect(subscriber.status).toBe('bounced');
      expect(subscriber.bounced_at).toBeTruthy();
      expect(await findIssue(h.t.db, issueId)).toMatchObject({ status: 'sent', sent_count: 3, bounced_count: 1 });
    } finally {
      delete refuse[people[3]];
    }
  });

  it('a temporary 4xx waits for a retry with back-off, then goes out', async () => {
    const slug = 'daily';
    const person = `later-${dialect}@example.test`;
    await addSubscribers(h.t.db, slug, [person]);
    refuse[person] = 451;
    const issueId = await queued(slug, 'Try again later', 1);
    const first = await runIssueSend({ db: h.t.db, config }, issueId);
    expect(first?.done).toBe(false);
    expect(first?.remaining).toBe(1);
    expect(first?.nextAt && Date.parse(first.nextAt)).toBeGreaterThan(Date.now());
    const row = await h.t.db
      .selectFrom('newsletter_deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'newsletter_deliveries.subscriber_id')
      .select(['newsletter_deliveries.status', 'newsletter_deliveries.attempts', 'newsletter_deliveries.last_error'])
      .where('newsletter_deliveries.issue_id', '=', issueId)
      .where('subscribers.email', '=', person)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row.last_error).toContain('451');
    expect((await findIssue(h.t.db, issueId))?.status).toBe('sending');

    // The server answers again; the retry is due.
    delete refuse[person];
    await h.t.db
      .updateTable('newsletter_deliveries')
      .set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
      .where('issue_id', '=', issueId)
      .execute();
    const sentBefore = sink.messages.length;
    const second = await runIssueSend({ db: h.t.db, config }, issueId);
    expect(second?.done).toBe(true);
    const all = await sink.waitFor(sentBefore + 1);
    expect(all.filter((m) => m.envelopeTo.includes(person))).toHaveLength(1);
    expect((await findIssue(h.t.db, issueId))?.status).toBe('sent');
  });

  it('a send stopped after k messages and run again mails nobody twice', async () => {
    const people = emails(`r-${dialect}-`, 12);
    await h.t.db
      .insertInto('newsletter_lists')
      .values({
        slug: `restart-${dialect}`,
        name: 'Restart test',
        description: '',
        section_id: null,
        kind: 'custom',
        auto_mode: 'off',
        digest_time: '07:00',
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
    await addSubscribers(h.t.db, `restart-${dialect}`, people);
    const issueId = await queued(`restart-${dialect}`, 'Restart', 1);
    let handed = 0;
    const stopAfter = 5;
    const first = await runIssueSend(
      {
        db: h.t.db,
        config,
        batchSize: 4,
        concurrency: 1,
        shouldStop: () => handed >= stopAfter,
        mailer: {
          async send(message) {
            const { mailerFor } = await import('../../src/mail/mail.transport.js');
            const result = await (await mailerFor(h.t.db, config)).send(message);
            handed++;
            return result;
          },
        },
      },
      issueId,
    );
    expect(first?.done).toBe(false);
    expect(first?.sent).toBe(stopAfter);
    expect(await deliveryCounts(h.t.db, issueId)).toMatchObject({ sent: stopAfter, queued: people.length - stopAfter, sending: 0 });

    // A sender that died holding rows: its claim runs out and another takes them over.
    await h.t.db
      .updateTable('newsletter_deliveries')
      .set({ status: 'sending', claimed_until: new Date(Date.now() - 1000).toISOString() })
      .where('issue_id', '=', issueId)
      .where('status', '=', 'queued')
      .where('id', 'in', (eb) =>
        eb.selectFrom('newsletter_deliveries').select('id').where('issue_id', '=', issueId).where('status', '=', 'queued').limit(2),
      )
      .execute();

    const second = await runIssueSend({ db: h.t.db, config, batchSize: 4 }, issueId);
    expect(second).toMatchObject({ sent: people.length - stopAfter, done: true });
    const received = await sink.waitFor(people.length);
    const to = received.flatMap((m) => m.envelopeTo).sort();
    expect(to).toEqual([...people].sort());
    expect(new Set(to).size).toBe(people.length);
    expect(await findIssue(h.t.db, issueId)).toMatchObject({ status: 'sent', sent_count: people.length });
  });
});
