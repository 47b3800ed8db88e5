import { describe, expect, it } from 'vitest';
import { fromPath, locationFor, requestPath, toPath } from '../../src/redirects/redirect.path.js';

describe('redirect paths', () => {
  it('normalises: trimmed, dot segments resolved, non-ASCII encoded, no trailing slash', () => {
    expect(fromPath('  /politics/old-slug/ ')).toBe('/politics/old-slug');
    expect(fromPath('/a/./b/../c')).toBe('/a/c');
    expect(fromPath('/café')).toBe('/caf%C3%A9');
    expect(fromPath('/caf%C3%A9')).toBe('/caf%C3%A9');
    expect(toPath('/politics/new?ref=old')).toBe('/politics/new?ref=old');
    expect(toPath('/')).toBe('/');
  });

  it('refuses anything that is not a path on this site', () => {
    for (const bad of [
      '',
      'politics/x',
      'http://evil.example/',
      'HTTPS://evil.example',
      'javascript:alert(1)',
      '//evil.example',
      '/\\evil.example',
      '/.//evil.example',
      '/a b',
      '/a#frag',
      `/${'a'.repeat(501)}`,
      '/x\u0000y',
    ]) {
      expect(() => toPath(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ status: 422, field: 'to' }));
    }
    expect(() => fromPath('/x?y=1')).toThrow(/query/);
    expect(() => fromPath('/')).toThrow(/front page/);
    expect(() => fromPath('/admin')).toThrow(/admin/);
    expect(() => fromPath('/api/v1/articles')).toThrow(/api/);
    expect(fromPath('/administration')).toBe('/administration');
  });

  it('reads a request path the way stored paths are spelled', () => {
    expect(requestPath('/politics/old-slug/?utm=x')).toBe('/politics/old-slug');
    expect(requestPath('/caf%C3%A9')).toBe('/caf%C3%A9');
    expect(requestPath('//evil.example')).toBeUndefined();
    expect(requestPath(`/${'a'.repeat(600)}`)).toBeUndefined();
  });

  it('carries the request query over only when the target has none', () => {
    expect(locationFor('/new', '/old?utm_source=x&page=2')).toBe('/new?utm_source=x&page=2');
    expect(locationFor('/new?ref=1', '/old?utm_source=x')).toBe('/new?ref=1');
    expect(locationFor('/new', '/old')).toBe('/new');
    expect(locationFor('/new', '/old?')).toBe('/new');
  });
});
