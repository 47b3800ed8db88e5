// First: the narration engine's WASI notice must be filtered before any module loads it.
import './ops/warnings.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isClusterWorker } from './cluster/messages.js';
import { loadConfig } from './config.js';
import { tuneHeap } from './heap.js';

const USAGE = `Usage: gazette <command>

  serve                 serve the site (no demo content)
  start                 serve; an empty database gets the demo newsroom (GAZETTE_DEMO=off disables)
  migrate               bring the database schema up to date
  publish FILE.md…      publish Markdown files with front matter
  import wordpress FILE.xml [--media DIR|ZIP] [--dry-run] [--section-map a=b,…] [--pages section|skip] [--json]
  import ghost FILE.json [--media DIR|ZIP] [--dry-run] [--json]
                        import a WordPress or Ghost site (articles, people, comments, media, old URLs → 301)
  demo [--scale N]      load the demo newsroom; --scale adds N synthetic articles with ~10 comments each
  backup FILE           copy the SQLite database to FILE while serving (PostgreSQL: prints the pg_dump command)
  restore FILE [--force]
                        replace the SQLite database with a backup (--force when it holds articles)
  user add --email E --name N --role R [--password P]
                        add a staff account (a password is generated when none is given)
  user reset-password EMAIL
                        print a one-time password-reset link (works once, for one hour)
  token create --name N --role R
                        create an API token for the Authorization: Bearer header
  commenter erase EMAIL delete every comment of a commenter (right to erasure)
  subscriber export EMAIL | subscriber erase EMAIL
                        print what is kept about a newsletter subscriber, or erase the address
  narrate ID…|--all [--force]
                        narrate articles now ("Listen to this article"); --force re-synthesises every paragraph
  newsletter send LIST_SLUG
                        send an issue of a newsletter list now (the articles published since its last issue)
  worker                run background jobs (narration…) without serving
`;

type Connection = import('./db/connect.js').Db;

// Each command loads only the modules it needs: the cluster primary and short commands stay small and start fast.
async function withDb<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { connect } = await import('./db/connect.js');
  const { migrate } = await import('./db/migrate.js');
  // Media and narration audio in a shared bucket, when one is configured (publish, demo, narrate).
  (await import('./storage/storage.js')).openStorage(config);
  const { withStartLock } = await import('./ops/instance.lock.js');
  const conn = connect(config);
  try {
    // Not while an instance starting now migrates or loads the demo (nor two commands at once).
    await withStartLock(config, () => migrate(conn.db));
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
    case 'start': {
      const config = loadConfig();
      const demo = command === 'start' && config.demo;
      // A worker instance serves no site: one process, whatever GAZETTE_WORKERS says.
      if (config.workers > 1 && config.role !== 'worker' && !isClusterWorker()) {
        const { runPrimary } = await import('./cluster/primary.js');
        await runPrimary(config);
      } else {
        // Before the server's modules load: the young generation is bounded before it first grows.
        tuneHeap();
        const { serve } = await import('./server.js');
        await serve(config, { demo, clusterWorker: isClusterWorker() });
      }
      return -1;
    }
    case 'migrate': {
      const { migrate } = await import('./db/migrate.js');
      const names = await withDb((conn) => migrate(conn.db));
      console.log(names.length ? `Applied: ${names.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    case 'publish': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals.length === 0) {
        console.error('gazette publish: name at least one Markdown file');
        return 1;
      }
      const config = loadConfig();
      const { loadSettings } = await import('./settings/settings.service.js');
      const { PublishError, publishFile } = await import('./publish/publish.service.js');
      return withDb(async (conn) => {
        const settings = await loadSettings(conn.db);
        let failed = 0;
        for (const file of positionals) {
          try {
            const result = await publishFile(conn.db, { file, mediaRoot: join(config.dataDir, 'media'), timeZone: settings.timeZone });
            console.log(JSON.stringify(result));
          } catch (error) {
            failed++;
            if (error instanceof PublishError) console.error(`error: ${error.message}`);
            else console.error(`error: ${file}: ${(error as Error).message}`);
          }
        }
        return failed ? 1 : 0;
      });
    }
    case 'import': {
      const { importCommand, parseImportArgs } = await import('./import/import.cli.js');
      const args = parseImportArgs(rest);
      if (typeof args === 'string') return importCommand(undefined as never, args, '');
      return withDb((conn) => importCommand(conn.db, args, loadConfig().dataDir));
    }
    case 'user': {
      const { userCommand } = await import('./users/user.cli.js');
      return withDb((conn) => userCommand(conn.db, rest, { port: loadConfig().port }));
    }
    case 'token': {
      const { tokenCommand } = await import('./users/user.cli.js');
      return withDb((conn) => tokenCommand(conn.db, rest));
    }
    case 'commenter': {
      const { commenterCommand } = await import('./comments/commenter.cli.js');
      return withDb((conn) => commenterCommand(conn.db, rest));
    }
    case 'backup':
    case 'restore': {
      const config = loadConfig();
      const { backupCommand } = await import('./ops/backup.cli.js');
      return withDb((conn) => backupCommand(command, conn, rest, config.dataDir));
    }
    case 'demo': {
      const config = loadConfig();
      const { values } = parseArgs({ args: rest, options: { scale: { type: 'string' } } });
      const { scaleCommand } = await import('./demo/scale.js');
      const { loadDemo } = await import('./demo/demo.service.js');
      return withDb(async (conn) => {
        if (values.scale !== undefined) return scaleCommand(conn.db, values.scale, join(config.dataDir, 'media'));
        const results = await loadDemo(conn.db, { mediaRoot: join(config.dataDir, 'media') });
        console.log(`Loaded the demo newsroom: ${results.length} articles.`);
        return 0;
      });
    }
    case 'narrate': {
      const config = loadConfig();
      const { narrateCommand } = await import('./narration/narration.cli.js');
      return withDb((conn) => narrateCommand(conn.db, config.dataDir, rest));
    }
    case 'subscriber': {
      const { subscriberCommand } = await import('./newsletters/subscriber.cli.js');
      return withDb((conn) => subscriberCommand(conn.db, rest));
    }
    case 'newsletter': {
      const config = loadConfig();
      const { newsletterCommand } = await import('./newsletters/newsletter.cli.js');
      return withDb((conn) => newsletterCommand(conn.db, rest, { config }));
    }
    case 'worker': {
      const config = loadConfig();
      const { connect } = await import('./db/connect.js');
      const { migrate } = await import('./db/migrate.js');
      const { startJobWorker } = await import('./jobs/job.worker.js');
      (await import('./storage/storage.js')).openStorage(config);
      const conn = connect(config);
      const { withStartLock } = await import('./ops/instance.lock.js');
      await withStartLock(config, () => migrate(conn.db));
      const log = {
        info: (o: object, m: string) => console.log(JSON.stringify({ ...o, msg: m })),
        error: (o: object, m: string) => console.error(JSON.stringify({ ...o, msg: m })),
      };
      const worker = startJobWorker({ db: conn.db, config, log });
      const stop = async () => {
        await worker.stop();
        await conn.close();
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop());
      process.on('SIGINT', () => void stop());
      return -1;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 1;
    default:
      console.error(`gazette: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  async (error) => {
    // One line for the operator (never a stack trace or a password), then status 1 at once: a
    // supervisor sees the failed start instead of a process left waiting on open connections.
    const { explainStartError } = await import('./ops/start.errors.js');
    console.error(explainStartError(error));
    if (['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '')) console.error(error);
    process.exit(1);
  },
);
