import { describe, expect, it } from 'vitest';
import { AppError, conflict, ERROR_CODES, invalid, notFound } from '../src/errors.js';

describe('error codes', () => {
  it('give every code a client or server status and a message', () => {
    for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
      expect(status >= 400 && status < 600, code).toBe(true);
      expect(message.length, code).toBeGreaterThan(3);
    }
  });

  it('take the status of their code, and its message when none is given', () => {
    const limited = new AppError('rate_limited', 'Slow down.');
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429, message: 'Slow down.', name: 'AppError' });
    expect(new AppError('storage_unavailable')).toMatchObject({ status: 503, message: ERROR_CODES.storage_unavailable.message });
    expect(new AppError('duplicate', 'Already posted.', 'body')).toMatchObject({ status: 409, field: 'body' });
    expect(new AppError('inactive', 'Reactivate it first.', undefined, 409).status).toBe(409);
    // @ts-expect-error a misspelt code does not compile (nor does it make an error at run time)
    expect(() => new AppError('rate_limted')).toThrow(TypeError);
  });

  it('keeps the shorthands', () => {
    expect(notFound()).toMatchObject({ code: 'not_found', status: 404, message: 'Not found' });
    expect(invalid('Say more.', 'body')).toMatchObject({ code: 'invalid', status: 422, field: 'body' });
    expect(conflict('Changed meanwhile.')).toMatchObject({ code: 'conflict', status: 409 });
  });
});
