import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from '../events.js';
import { perDatabase } from './per-database.js';

/** Marks where a value goes while a query is compiled: never a value of its own. */
const SLOT = '\u0000slot:';

interface Shape {
  query: CompiledQuery;
  /** For each parameter of the compiled query: the index of the value that fills it, or -1 (a constant). */
  fill: number[];
}

const shapesOf = perDatabase(() => new Map<string, Shape>());

/**
 * A stand-in for the `i`-th value while a query of fixed shape is built: the query is compiled
 * once with it and later run with the real value in its place (see `runCompiled`).
 */
export function slot<T>(i: number): T {
  return `${SLOT}${i}` as T;
}

/** Stand-ins for a list of `n` values: the first `n` values of `runCompiled`. */
export function slots<T>(n: number): T[] {
  return Array.from({ length: n }, (_, i) => slot<T>(i));
}

/**
 * Runs a query whose shape never changes with new values. Building and compiling a Kysely query
 * costs tens of microseconds, more than SQLite takes to run most of a reader page's queries, so
 * each shape (named by `shape`: include anything that changes the SQL, such as a list's length) is
 * compiled once per database handle; `build` gets `slot(i)` where the `i`-th of `values` goes.
 */
export async function runCompiled<R>(
  db: Executor,
  shape: string,
  build: (db: Executor) => Compilable<R>,
  values: readonly unknown[],
): Promise<R[]> {
  const shapes = shapesOf(db);
  let known = shapes.get(shape);
  if (!known) {
    const query = build(db).compile();
    const fill = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : -1));
    // A slot written into the SQL instead of passed as a parameter would be run as it is.
    if (values.some((_, i) => !fill.includes(i))) throw new Error(`runCompiled: a value of "${shape}" is not a parameter`);
    known = { query, fill };
    // A few dozen shapes in all; bounded anyway.
    if (shapes.size >= 500) shapes.clear();
    shapes.set(shape, known);
  }
  const { query, fill } = known;
  const parameters = fill.map((i, at) => (i < 0 ? query.parameters[at] : values[i]));
  const result = await db.executeQuery<R>({ ...query, parameters });
  return result.rows;
}
