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

/**
 * Fastify's own schema compilers (Ajv for input, fast-json-stringify for output), each route's
 * compiled when the route is first called instead of when it is registered. Compiling every
 * route's schemas took about a second of a start, for routes (newsroom, API, moderation) a
 * reader-facing process may never serve. Only the `headers` part differs: Fastify lowercases its
 * property names before an own compiler sees it, not before a custom one — no route declares one.
 */
export function lazySchemaCompilers(): FastifyServerOptions['schemaController'] {
  const fastify = createRequire(load.resolve('fastify'));
  const validators = (fastify('@fastify/ajv-compiler') as () => Factory)();
  const serializers = (fastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => Factory }).SerializerSelector();
  const compilersFactory: { buildValidator: Factory; buildSerializer: Factory } = {
    buildValidator: (externalSchemas, options) => {
      const compile = validators(externalSchemas, options);
      return (route) => {
        let real: Validate | undefined;
        // Fastify reads `errors` from the function it was given after a failed validation.
        const validate: Validate = (data) => {
          real ??= compile(route) as Validate;
          const result = real(data);
          validate.errors = real.errors;
          return result;
        };
        return validate;
      };
    },
    buildSerializer: (externalSchemas, options) => {
      const compile = serializers(externalSchemas, options);
      return (route) => {
        let real: ((data: unknown) => unknown) | undefined;
        return (data) => {
          real ??= compile(route);
          return real(data);
        };
      };
    },
  };
  return { compilersFactory } as unknown as FastifyServerOptions['schemaController'];
}
