import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** The new paths, each with its methods, whether it needs a token, and a property its answer has. */
const PATHS: [string, string, boolean, string][] = [
  ['/api/v1/media', 'get', true, 'media'],
  ['/api/v1/media', 'post', true, 'variants'],
  ['/api/v1/media/{id}', 'get', true, 'variants'],
  ['/api/v1/sections', 'get', false, 'sections'],
  ['/api/v1/sections', 'post', true, 'slug'],
  ['/api/v1/sections/{id}', 'patch', true, 'slug'],
  ['/api/v1/authors', 'get', false, 'authors'],
  ['/api/v1/authors', 'post', true, 'bio'],
  ['/api/v1/authors/{id}', 'patch', true, 'bio'],
  ['/api/v1/tags', 'get', false, 'tags'],
  ['/api/v1/tags', 'post', true, 'slug'],
  ['/api/v1/tags/{id}', 'patch', true, 'slug'],
  ['/api/v1/redirects', 'get', true, 'redirects'],
  ['/api/v1/redirects', 'post', true, 'from'],
];

describe('the OpenAPI document of the migration endpoints', () => {
  let h: TestApp;
  let doc: any;
  beforeAll(async () => {
    h = await createTestApp('sqlite');
    const res = await h.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => h.close());

  it.each(PATHS)('lists %s %s with its schema', (path, method, secured, property) => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    expect(op.summary).toEqual(expect.any(String));
    if (secured) expect(op.security).toEqual([{ bearer: [] }]);
    else expect(op.security).toBeUndefined();
    const ok = op.responses['200'] ?? op.responses['201'];
    const schema = ok.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toContain(property);
    if (method !== 'get') {
      expect(op.responses['422'] ?? op.responses['404']).toBeDefined();
      expect(op.responses['403'].content['application/json'].schema.properties.error).toBeDefined();
    }
  });

  it('describes the upload as multipart with a file field, and its refusals', () => {
    const op = doc.paths['/api/v1/media'].post;
    const body = op.requestBody.content['multipart/form-data'].schema;
    expect(body.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['alt', 'caption', 'credit']));
    for (const status of ['413', '415', '422']) expect(op.responses[status], status).toBeDefined();
  });

  it('describes the write bodies and the delete', () => {
    expect(doc.paths['/api/v1/redirects'].post.requestBody.content['application/json'].schema.required).toEqual(['from', 'to']);
    expect(doc.paths['/api/v1/sections'].post.requestBody.content['application/json'].schema.required).toEqual(['name']);
    expect(Object.keys(doc.paths['/api/v1/authors/{id}'].patch.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['name', 'bio', 'photo_id']),
    );
    const del = doc.paths['/api/v1/redirects/{id}'].delete;
    expect(del.security).toEqual([{ bearer: [] }]);
    expect(del.responses['204']).toBeDefined();
  });
});
