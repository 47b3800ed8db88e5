import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** Changes an article through the JSON API, as the editor does through writeArticle. */
export async function patchArticle(app: FastifyInstance, token: string, id: number, body: Record<string, unknown>) {
  const res = await app.inject({
    method: 'PATCH',
    url: `/api/v1/articles/${id}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { url: string; slug: string; status: string };
}
