import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type * as Pg from 'pg';

/** Statements named on one connection at most; later ones run unnamed (planned each time). */
const NAMED_PER_CONNECTION = 300;
/** Longer statements (bulk inserts with many rows) are not worth keeping prepared. */
const MAX_NAMED_TEXT = 8000;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

const names = new Map<string, string>();

/** A statement's name: derived from its text, so every connection agrees on it. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `g_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    if (names.size >= 5000) names.delete(names.keys().next().value as string);
    names.set(text, name);
  }
  return name;
}

/**
 * Kysely sends every query as an unnamed statement, which PostgreSQL parses and plans anew each
 * time: for the short indexed queries of a page, parsing and planning cost several times the
 * execution. This pool hands Kysely connections that send each query as a named prepared
 * statement, parsed once per connection; PostgreSQL then plans it for its parameters and, once a
 * generic plan proves no costlier, reuses that plan. Each connection keeps a bounded number.
 * Full-text queries (`@@`) stay unnamed: how many articles a word matches decides their plan, which
 * a generic plan cannot know, and their planning is small beside their work.
 */
export function preparingPool(pool: Pg.Pool, perConnection = NAMED_PER_CONNECTION): PostgresPool {
  const wrapped = new WeakMap<Pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: Pg.PoolClient): PostgresPoolClient => {
    const prepared = new Set<string>();
    const stale = new Set<string>();
    return {
      query: ((textOrCursor: any, values?: readonly unknown[]) => {
        if (typeof textOrCursor !== 'string') return client.query(textOrCursor);
        const text = textOrCursor;
        if (text.length <= MAX_NAMED_TEXT && NAMEABLE.test(text) && !text.includes('@@')) {
          const name = nameOf(text);
          if (!stale.has(name) && (prepared.has(name) || prepared.size < perConnection)) {
            prepared.add(name);
            return client.query({ name, text, values: values as unknown[] }).catch((error: { code?: string }) => {
              // A table changed under a kept statement ("cached plan must not change result type"):
              // this connection runs that text unnamed from now on.
              if (error.code !== '0A000') throw error;
              stale.add(name);
              return client.query(text, values as unknown[]);
            });
          }
        }
        return client.query(text, values as unknown[]);
      }) as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let found = wrapped.get(client);
      if (!found) {
        found = wrap(client);
        wrapped.set(client, found);
      }
      return found;
    },
    end: () => pool.end(),
  };
}
