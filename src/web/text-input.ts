import type { FastifyInstance } from 'fastify';

/**
 * A UTF-16 surrogate without its partner. It is no character at all: JSON can carry one
 * (`"\ud800"`), but it cannot be written as UTF-8, so SQLite would store invalid bytes and
 * PostgreSQL would refuse the row.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** The text with each lone surrogate replaced by U+FFFD, the replacement character (the rest unchanged). */
export function wellFormed(text: string): string {
  // Most text has no surrogate at all (emoji are pairs): the cheap test comes first.
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/**
 * Replaces lone surrogates in every string of a parsed value (form fields, JSON, query, path
 * parameters), keys included, in place; returns the value (a new one when it is a string).
 */
export function repairText<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      let child = record[key];
      if (typeof child === 'string') child = record[key] = wellFormed(child);
      else stack.push(child);
      const fixed = wellFormed(key);
      if (fixed !== key) {
        delete record[key];
        record[fixed] = child;
      }
    }
  }
  return value;
}

/**
 * One place for all text a request brings: before any route validates or reads its input,
 * lone surrogates become U+FFFD, so every form and JSON body stores valid UTF-8 on both databases.
 */
export function installTextInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined && request.body !== null) request.body = repairText(request.body);
    repairText(request.query);
    repairText(request.params);
  });
}
