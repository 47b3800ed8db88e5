import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

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

type Compile = (route: unknown) => (data: unknown) => unknown;
type Factory = (externalSchemas: unknown, options: unknown) => Compile;
type Validate = ((data: unknown) => unknown) & { errors?: unknown };

/** What Fastify tells a compiler of the schema it compiles. */
export interface SchemaRoute {
  method?: string;
  url?: string;
}

/** The compilers and what they have put off. */
export interface LazySchemas {
  schemaController: FastifyServerOptions['schemaController'];
  /**
   * Compiles, ahead of their first call, the put-off schemas of the routes `wanted` picks: one at
   * a time, each in a turn of the event loop of its own, so a reader's request waits for one
   * schema at most. Resolves with how many were compiled.
   */
  compileAhead(wanted: (route: SchemaRoute) => boolean, stop?: () => boolean): Promise<number>;
}

/**
 * Fastify's own schema compilers (Ajv for input, fast-json-stringify for output), each route's
 * compiled when the route is first called instead of when it is registered. Compiling every
 * route's schemas took about a second of a start, for routes (newsroom, API, moderation) a
 * reader-facing process may never serve. Only the `headers` part differs: Fastify lowercases its
 * property names before an own compiler sees it, not before a custom one — no route declares one.
 * The routes of a moment that must not stall (publishing) are compiled ahead, while the server is
 * idle (`compileAhead`): their first call compiled 100 ms of schemas on the serving thread.
 */
export function lazySchemaCompilers(): LazySchemas {
  const fastify = createRequire(load.resolve('fastify'));
  const validators = (fastify('@fastify/ajv-compiler') as () => Factory)();
  const serializers = (fastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => Factory }).SerializerSelector();
  const waiting = new Set<{ route: SchemaRoute; compile: () => void }>();
  /** Puts off compiling `route`'s schema; returns the function that compiles it (once). */
  const putOff = <T>(route: unknown, compile: () => T): (() => T) => {
    let real: T | undefined;
    const entry = {
      route: route as SchemaRoute,
      compile: (): T => {
        if (real === undefined) {
          waiting.delete(entry);
          real = compile();
        }
        return real;
      },
    };
    waiting.add(entry);
    return entry.compile;
  };
  const compilersFactory: { buildValidator: Factory; buildSerializer: Factory } = {
    buildValidator: (externalSchemas, options) => {
      const compile = validators(externalSchemas, options);
      return (route) => {
        const real = putOff(route, () => compile(route) as Validate);
        // Fastify reads `errors` from the function it was given after a failed validation.
        const validate: Validate = (data) => {
          const compiled = real();
          const result = compiled(data);
          validate.errors = compiled.errors;
          return result;
        };
        return validate;
      };
    },
    buildSerializer: (externalSchemas, options) => {
      const compile = serializers(externalSchemas, options);
      return (route) => {
        const real = putOff(route, () => compile(route));
        return (data) => real()(data);
      };
    },
  };
  return {
    schemaController: { compilersFactory } as unknown as FastifyServerOptions['schemaController'],
    async compileAhead(wanted, stop = () => false) {
      let compiled = 0;
      for (const entry of [...waiting].filter((e) => wanted(e.route))) {
        await new Promise((resolve) => setImmediate(resolve));
        if (stop()) break;
        // A request may have compiled it meanwhile.
        if (!waiting.has(entry)) continue;
        entry.compile();
        compiled++;
      }
      return compiled;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Compiles put-off route schemas ahead of their first call (src/lazy.ts `compileAhead`). */
    compileSchemasAhead: LazySchemas['compileAhead'];
  }
}
