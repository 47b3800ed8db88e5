#!/usr/bin/env node
// Sending one newsletter issue at scale: N confirmed subscribers of the `daily` list in a fresh
// SQLite data folder, a local SMTP server (smtp-server) that accepts every message and throws it
// away, and `gazette newsletter send daily` as an operator would run it. Prints the messages
// Gazette handed to SMTP per second (over the whole command) and the rate the SMTP server saw.
//   node scripts/bench/newsletter.mjs [--subscribers 100000] [--from-source] [--keep]
// Runs the built command (bin/gazette.js, after `npm run build`) when the build has the newsletter
// command, else src/main.ts through tsx (`--from-source` forces that).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/gazette.js');
const BUILT_CLI = join(ROOT, 'dist/newsletters/newsletter.cli.js');

/** An SMTP server on a free loopback port that takes everything and keeps only a count and the times. */
async function startSink() {
  const stats = { messages: 0, first: 0, last: 0 };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Up to 20 connections at once; Gazette's pool opens 5.
    maxClients: 20,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const now = performance.now();
        if (stats.messages === 0) stats.first = now;
        stats.messages++;
        stats.last = now;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${server.server.address().port}`, stats, close: () => new Promise((r) => server.close(r)) };
}

/** Writes the subscribers straight into the database (as a sign-up would have left them, confirmed). */
function seedSubscribers(file, n) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const list = db.prepare("SELECT id FROM newsletter_lists WHERE slug = 'daily'").get();
  const now = new Date().toISOString();
  const addSubscriber = db.prepare(
    "INSERT INTO subscribers (email, status, link_key, created_at, updated_at, confirmed_at) VALUES (?, 'confirmed', ?, ?, ?, ?)",
  );
  const subscribe = db.prepare('INSERT INTO subscriptions (subscriber_id, list_id, created_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const { lastInsertRowid } = addSubscriber.run(`reader${i}@bench.example`, randomBytes(12).toString('hex'), now, now, now);
      subscribe.run(lastInsertRowid, list.id, now);
    }
  })();
  db.close();
}

/** Mail settings as the newsroom stores them, with no rate limit of Gazette's own in the way. */
function mailSettings(file, url) {
  const db = new Database(file);
  const value = JSON.stringify({ smtpUrl: url, from: 'Bench News <news@bench.example>', ratePerSecond: 1_000_000 });
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('mail', value);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    'siteUrl',
    JSON.stringify('https://bench.example'),
  );
  db.close();
}

/**
 * Sends one issue to `subscribers` confirmed subscribers and measures it. Returns the figures
 * (for scripts/bench/bench.mjs); `printNewsletter` prints them.
 */
export async function newsletterBench(opts = {}) {
  const subscribers = Number(opts.subscribers ?? 100_000);
  const fromSource = Boolean(opts.fromSource) || !existsSync(BUILT_CLI);
  const dataDir = mkdtempSync(join(tmpdir(), 'gazette-newsletter-bench-'));
  const sink = await startSink();
  const env = {
    ...process.env,
    GAZETTE_DATA: dataDir,
    DATABASE_URL: '',
    GAZETTE_DEMO: 'off',
    LOG_LEVEL: 'silent',
    GAZETTE_SECRET: 'bench-secret-0123456789abcdef0123',
  };
  const gazette = (args) =>
    fromSource
      ? run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), ...args], { env, cwd: ROOT, maxBuffer: 1 << 24 })
      : run(process.execPath, [BIN, ...args], { env, cwd: ROOT, maxBuffer: 1 << 24 });
  try {
    await gazette(['migrate']);
    const article = join(dataDir, 'bench-article.md');
    writeFileSync(
      article,
      '---\nheadline: Harbour Bridge Reopens After Repairs\nstandfirst: Traffic returns to the old crossing after six months of work.\nsection: Local\nauthors: [Ada Vesta]\n---\nThe bridge reopened at dawn.\n',
    );
    await gazette(['publish', article]);
    const file = join(dataDir, 'gazette.db');
    const seedStart = performance.now();
    seedSubscribers(file, subscribers);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    mailSettings(file, sink.url);
    const started = performance.now();
    const { stdout } = await gazette(['newsletter', 'send', 'daily']);
    const seconds = (performance.now() - started) / 1000;
    const result = JSON.parse(stdout.trim().split('\n')[0]);
    const sinkSeconds = sink.stats.messages > 1 ? (sink.stats.last - sink.stats.first) / 1000 : 0;
    return {
      subscribers,
      fromSource,
      seedSeconds,
      seconds,
      sent: result.sent,
      failed: result.failed,
      waiting: result.waiting,
      handedPerSecond: result.sent / seconds,
      sinkMessages: sink.stats.messages,
      sinkPerSecond: sinkSeconds > 0 ? sink.stats.messages / sinkSeconds : 0,
    };
  } finally {
    await sink.close();
    if (!opts.keep) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`kept ${dataDir}`);
  }
}

export function printNewsletter(f) {
  console.log(`\nNewsletter: one issue to ${f.subscribers.toLocaleString('en')} confirmed subscribers (SQLite, a local SMTP sink)`);
  console.log(
    `  ${f.fromSource ? 'src/main.ts through tsx' : 'the built gazette command'}; subscribers written in ${f.seedSeconds.toFixed(1)} s`,
  );
  console.log(`  gazette newsletter send daily: ${f.seconds.toFixed(1)} s, ${f.sent} sent, ${f.failed} failed, ${f.waiting} waiting`);
  console.log(`  messages handed to SMTP per second (whole command): ${Math.round(f.handedPerSecond)}`);
  console.log(`  the SMTP server's own rate (first to last message): ${Math.round(f.sinkPerSecond)} (${f.sinkMessages} received)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '100000' },
      'from-source': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const figures = await newsletterBench({ subscribers: Number(values.subscribers), fromSource: values['from-source'], keep: values.keep });
  printNewsletter(figures);
}
