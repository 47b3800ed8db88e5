import type { FastifyRequest } from 'fastify';
import type { TObject, TString } from 'typebox';
import { notFound } from '../errors.js';

/**
 * Reading what a request carries, the same way for every HTML form and JSON route: whether a
 * script wants JSON, ids in the address or a form, and text fields.
 */

/** A script asking for JSON rather than a page (a browser's form post asks for text/html). */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A positive whole number written plainly in digits ("12"; no leading zero, at most nine digits), else null. */
export function parseId(value: unknown): number | null {
  const s = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  if (!/^[1-9]\d{0,8}$/.test(s)) return null;
  const id = Number(s);
  return id >= 1 ? id : null;
}

/** Every id of a field that may be sent once or many times (the ticked boxes of a list); the rest is dropped. */
export function parseIds(value: unknown): number[] {
  return [value ?? []].flat().flatMap((v) => parseId(v) ?? []);
}

/** An id from a route parameter, else a 404 (with `message`, if given). */
export function idParam(value: unknown, message?: string): number {
  const id = parseId(value);
  if (id === null) throw notFound(message);
  return id;
}

/** Any parsed body (form or JSON) as a record of fields; anything else as no fields. */
export const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

export const formBody = (request: FastifyRequest) => asRecord(request.body);

export const query = (request: FastifyRequest) => asRecord(request.query) as Record<string, string | undefined>;

/**
 * A text field as typed: the string (the first one when the field was sent more than once), cut
 * to `max` characters; anything else is ''. Trimming is the caller's choice, so a refused form
 * can show exactly what was typed.
 */
export function text(value: unknown, max = Number.POSITIVE_INFINITY): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** The schema of an HTML form: its text fields by name, each with the most characters kept (`maxLength`). */
export type FormSchema = TObject<Record<string, TString>>;

/**
 * Every field a form's schema names, read with `text` and cut to the field's `maxLength`. It never
 * refuses: the services check the values, so a refused form shows again exactly what was typed.
 */
export function formFields<S extends FormSchema>(schema: S, body: unknown): { [K in keyof S['properties']]: string } {
  const record = asRecord(body);
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    fields[name] = text(record[name], (field as { maxLength?: number }).maxLength);
  }
  return fields as { [K in keyof S['properties']]: string };
}
