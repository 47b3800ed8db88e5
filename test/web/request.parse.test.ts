import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { asRecord, formFields, idParam, parseId, parseIds, query, text, wantsJson } from '../../src/web/request.parse.js';

const request = (headers: Record<string, string>, extra: Partial<FastifyRequest> = {}) =>
  ({ headers, ...extra }) as unknown as FastifyRequest;

describe('request parsing', () => {
  it('wants JSON only when a script asks for it and not for a page', () => {
    expect(wantsJson(request({ accept: 'application/json' }))).toBe(true);
    expect(wantsJson(request({ accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }))).toBe(false);
    expect(wantsJson(request({ accept: 'text/html, application/json' }))).toBe(false);
    expect(wantsJson(request({}))).toBe(false);
  });

  it('reads ids written plainly, and nothing else', () => {
    expect(parseId('12')).toBe(12);
    expect(parseId(7)).toBe(7);
    expect(parseId('999999999')).toBe(999999999);
    for (const bad of ['0', '007', '-1', '1e3', '1.5', ' 1', '1234567890', 'abc', '', undefined, null, ['1'], 0, 1.5]) {
      expect(parseId(bad), String(bad)).toBeNull();
    }
    expect(parseIds(['3', 'x', '4', '0'])).toEqual([3, 4]);
    expect(parseIds('5')).toEqual([5]);
    expect(parseIds(undefined)).toEqual([]);
  });

  it('answers 404 for an id that is not one, with the message given', () => {
    expect(idParam('42')).toBe(42);
    const error = (() => {
      try {
        idParam('nope', 'There is no such ban.');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not_found', status: 404, message: 'There is no such ban.' });
    expect(() => idParam('0')).toThrow('Not found');
  });

  it('reads text fields as typed: the first of repeated fields, cut to the limit, nothing else', () => {
    expect(text('  a b  ', 100)).toBe('  a b  ');
    expect(text('abcdef', 3)).toBe('abc');
    expect(text(['first', 'second'])).toBe('first');
    expect(text('x'.repeat(300_000)).length).toBe(300_000);
    for (const other of [5, null, undefined, {}, [1]]) expect(text(other, 10)).toBe('');
  });

  it('treats any body or query that is not a record as no fields', () => {
    expect(asRecord(null)).toEqual({});
    expect(asRecord('text')).toEqual({});
    expect(asRecord({ a: 1 })).toEqual({ a: 1 });
    expect(query(request({}, { query: undefined }))).toEqual({});
  });

  it('reads the fields a form schema names, with their limits, and never refuses', () => {
    const schema = Type.Object({ title: Type.String({ maxLength: 4 }), body: Type.String() });
    const fields = formFields(schema, { title: 'abcdefg', body: ['one', 'two'], extra: 'ignored' });
    expect(fields).toEqual({ title: 'abcd', body: 'one' });
    expect(formFields(schema, 'not a form')).toEqual({ title: '', body: '' });
  });
});
