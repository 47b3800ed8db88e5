import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { serveRateLimits } from '../comments/comment.limiter.cluster.js';
import { MemoryRateLimitStore } from '../comments/comment.limiter.js';
import type { Config } from '../config.js';
import { serverExecArgv } from '../heap.js';
import { announceReady } from '../ops/start.banner.js';
import {
  isClusterMessage,
  PURGE_ACK,
  PURGE_DONE,
  PURGE_NOW,
  PURGE_REQUEST,
  type PurgeMessage,
  SETUP_STATE,
  SETUP_TOKEN_ENV,
  type SetupStateMessage,
  WORKER_ENV,
  WORKER_INDEX_ENV,
} from './messages.js';
import { primaryLog } from './primary.log.js';

/** A worker that dies sooner than this after starting counts as a failed start. */
const QUICK_EXIT_MS = 5000;
/** After this many failed starts in a row the cluster gives up (a worker that cannot start never will). */
const MAX_QUICK_EXITS = 5;
const STOP_GRACE_MS = 20_000;
const PURGE_WAIT_MS = 1000;

interface Slot {
  worker: Worker;
  startedAt: number;
  quickExits: number;
}

interface PurgeRound {
  from: Worker;
  id: number;
  left: Set<number>;
  timer: NodeJS.Timeout;
}

/**
 * The cluster primary: forks `config.workers` server processes that share the port (Node's
 * cluster module hands out connections in turn), restarts one that dies, relays purges between
 * them, and stops them all on SIGTERM/SIGINT. It serves no request and opens no database, so it
 * stays small. Worker 0 starts first and prepares the database (migrations, demo content); the
 * others start once it listens. Worker 0 also runs the scheduler and the background jobs. The
 * primary also keeps the workers' comment rate limits and login and report throttles, so a limit
 * holds for the whole machine.
 */
export async function runPrimary(config: Config): Promise<void> {
  const log = primaryLog(config.logLevel, config.logFormat);
  // Worker 0 stores this secret's hash when the install has no admin yet and says so; the ready message shows its link.
  const setupToken = randomBytes(32).toString('base64url');
  let setupNeeded = false;
  // Comment rate limits and throttles of every worker, counted here (with REDIS_URL set, workers count in Redis instead).
  const rates = new MemoryRateLimitStore();

  const slots: Slot[] = [];
  const rounds = new Map<number, PurgeRound>();
  let nextRound = 1;
  let stopping = false;

  const finish = (round: number) => {
    const r = rounds.get(round);
    if (!r) return;
    clearTimeout(r.timer);
    rounds.delete(round);
    if (r.from.isConnected()) r.from.send({ type: PURGE_DONE, id: r.id }, undefined, undefined, () => undefined);
  };

  const relay = (from: Worker, id: number, upTo: number | undefined) => {
    const others = slots.map((s) => s.worker).filter((w) => w !== from && w.isConnected());
    const round = nextRound++;
    rounds.set(round, { from, id, left: new Set(others.map((w) => w.id)), timer: setTimeout(() => finish(round), PURGE_WAIT_MS) });
    if (others.length === 0) return finish(round);
    for (const w of others) w.send({ type: PURGE_NOW, id: round, upTo }, undefined, undefined, () => undefined);
  };

  const acknowledge = (worker: Worker, round: number) => {
    const r = rounds.get(round);
    if (!r) return;
    r.left.delete(worker.id);
    if (r.left.size === 0) finish(round);
  };

  // Each worker's young generation is bounded from its start (src/heap.ts).
  cluster.setupPrimary({ execArgv: serverExecArgv() });
  const fork = (index: number, quickExits = 0) => {
    const worker = cluster.fork({
      [WORKER_ENV]: '1',
      [WORKER_INDEX_ENV]: String(index),
      [SETUP_TOKEN_ENV]: setupToken,
      // glibc's allocator gives each thread that allocates (compression, file reads) an arena of its
      // own; two keep a worker's resident set about 12 MB smaller at its peak. An operator's value stays.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    });
    slots[index] = { worker, startedAt: Date.now(), quickExits };
    worker.on('message', (message: unknown) => {
      if (isClusterMessage(message, PURGE_REQUEST)) relay(worker, message.id, (message as PurgeMessage).upTo);
      else if (isClusterMessage(message, PURGE_ACK)) acknowledge(worker, message.id);
      else if (isClusterMessage(message, SETUP_STATE)) setupNeeded = (message as SetupStateMessage).needed === true;
    });
    serveRateLimits(worker, rates);
  };

  cluster.on('exit', (worker, code, signal) => {
    // A worker that left no longer holds up a purge round.
    for (const [round] of rounds) acknowledge(worker, round);
    if (stopping) return;
    const index = slots.findIndex((s) => s?.worker === worker);
    if (index < 0) return;
    const slot = slots[index];
    const quick = Date.now() - slot.startedAt < QUICK_EXIT_MS;
    const quickExits = quick ? slot.quickExits + 1 : 0;
    log.error(`worker ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting a new one`);
    if (quickExits >= MAX_QUICK_EXITS) {
      log.error(`worker ${index} failed to start ${quickExits} times in a row: stopping`);
      void stop(1);
      return;
    }
    // Back off when starts keep failing, at once otherwise.
    setTimeout(() => fork(index, quickExits), quick ? 500 * 2 ** quickExits : 0);
  });

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down: stopping workers');
    const alive = slots.map((s) => s.worker).filter((w) => !w.isDead());
    const exited = Promise.all(alive.map((w) => new Promise((resolve) => (w.isDead() ? resolve(null) : w.once('exit', resolve)))));
    for (const w of alive) w.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  let listening = 0;
  cluster.on('listening', (worker, address) => {
    listening++;
    log.info(`worker ${slots.findIndex((s) => s?.worker === worker)} (pid ${worker.process.pid}) listening`);
    if (listening === 1) for (let i = 1; i < config.workers; i++) fork(i);
    if (listening === config.workers) {
      log.info(`serving on http://${config.host}:${config.port} with ${config.workers} workers`);
      // Once: a worker started again later does not repeat it.
      const info = {
        host: config.host,
        port: address.port || config.port,
        setupToken: setupNeeded ? setupToken : null,
        workers: config.workers,
      };
      announceReady(config.logFormat, info, { info: (fields, msg) => log.info(msg, fields) });
    }
  });
  fork(0);
}
