import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A dependency loaded the first time it is used rather than at start. Image processing, the
 * PostgreSQL and Redis clients, Markdown and password hashing each cost a server process
 * megabytes it need not carry when it only serves pages: a reader-facing worker never loads them.
 */
export function lazy<T>(name: string): () => T {
  let module: T | undefined;
  return () => {
    module ??= load(name) as T;
    return module;
  };
}
