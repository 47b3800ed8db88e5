import { type Kysely, sql } from 'kysely';

/** How long one answer of the database check stands: a load balancer probing often costs one `select 1` a second. */
const CHECK_TTL_MS = 1_000;
/** A database slower than this to answer `select 1` counts as unreachable. */
const CHECK_TIMEOUT_MS = 1_000;

export type HealthAnswer = { ok: true } | { ok: false; reason: 'disk full' | 'database unreachable' };

type Listener = (state: { diskFull: boolean }, error?: unknown) => void;

/** What one connection's queries have shown about the database's health. */
export class DbHealth {
  diskFull = false;
  private checked: { at: number; answer: HealthAnswer } | undefined;
  private pending: Promise<HealthAnswer> | undefined;
  private readonly listeners: Listener[] = [];

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** A query failed: a full disk is remembered until a write succeeds again. */
  noteError(error: unknown): void {
    if (!isDiskFull(error) || this.diskFull) return;
    this.diskFull = true;
    for (const l of this.listeners) l({ diskFull: true }, error);
  }

  /** A write succeeded: there is room again. */
  noteWrite(): void {
    if (!this.diskFull) return;
    this.diskFull = false;
    for (const l of this.listeners) l({ diskFull: false });
  }

  /** Whether the instance can do its work: not with a full disk, nor while `select 1` fails or takes too long. */
  async check(db: Kysely<any>, now = Date.now()): Promise<HealthAnswer> {
    if (this.diskFull) return { ok: false, reason: 'disk full' };
    if (this.checked && now - this.checked.at < CHECK_TTL_MS) return this.checked.answer;
    this.pending ??= probe(db).then((answer) => {
      this.checked = { at: Date.now(), answer };
      this.pending = undefined;
      return answer;
    });
    return this.pending;
  }
}

async function probe(db: Kysely<any>): Promise<HealthAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  const answered = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([answered, late]);
  clearTimeout(timer);
  return ok ? { ok: true } : { ok: false, reason: 'database unreachable' };
}

/** SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100), or the file system's ENOSPC. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC';
}

const registry = new WeakMap<object, DbHealth>();

/** Gives a Kysely instance the record its driver reports to (see health.driver.ts). */
export function attachHealth(db: object, health: DbHealth): void {
  registry.set(db, health);
}

/** The health record of a Kysely instance (made on first use when `connect` did not attach one). */
export function healthOf(db: object): DbHealth {
  let found = registry.get(db);
  if (!found) {
    found = new DbHealth();
    registry.set(db, found);
  }
  return found;
}
