import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { hashEmail, hashIp } from '../../src/comments/comment.hash.js';
import { csrfFrom, mergeCookies } from '../helpers/auth.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { makeArticle } from '../helpers/factories.js';
import { postApi, uniqueEmail } from './helpers.js';
import { REDIS_URL } from './limits.helpers.js';

const randomIp = () => `198.18.${randomInt(256)}.${randomInt(1, 255)}`;

describe('two instances with REDIS_URL', () => {
  let t: TestDb;
  let one: FastifyInstance;
  let two: FastifyInstance;
  let redis: Redis;
  const used: string[] = [];
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    // A secret of its own keeps this run's keys apart from any other run on the same Redis.
    t.config.secret = randomBytes(16).toString('hex');
    t.config.redisUrl = REDIS_URL;
    one = await buildApp({ db: t.db, dialect: t.dialect, config: t.config, logger: false });
    two = await buildApp({ db: t.db, dialect: t.dialect, config: t.config, logger: false });
    await Promise.all([one.ready(), two.ready()]);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    if (used.length) await redis.del(...used);
    redis.disconnect();
    await Promise.all([one?.close(), two?.close()]);
    await t?.destroy();
  });

  it('share the comment limits: what one instance counted, the other refuses', async () => {
    const article = await makeArticle(t.db);
    const ip = randomIp();
    const [first, second, third] = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
    used.push(...[first, second, third].map((e) => `gazette:rate:email:${hashEmail(t.config.secret, e)}`));
    used.push(`gazette:rate:ip:${hashIp(t.config.secret, ip)}`);
    expect((await postApi(one, article.id, { name: 'Ana', email: first, body: 'From the first instance.' }, ip)).statusCode).toBe(202);
    const sameAddress = await postApi(two, article.id, { name: 'Ana', email: second, body: 'From the second instance.' }, ip);
    expect(sameAddress.statusCode).toBe(429);
    expect(Number(sameAddress.headers['retry-after'])).toBeGreaterThan(0);
    const other = randomIp();
    used.push(`gazette:rate:ip:${hashIp(t.config.secret, other)}`);
    expect((await postApi(two, article.id, { name: 'Ana', email: first, body: 'Same email elsewhere.' }, other)).statusCode).toBe(429);
    expect((await postApi(two, article.id, { name: 'Bo', email: third, body: 'Someone else.' }, other)).statusCode).toBe(202);
  });

  it('share the login throttle', async () => {
    const ip = randomIp();
    used.push(`gazette:rate:http:POST/admin/login-${ip}`);
    const attempt = async (app: FastifyInstance) => {
      const page = await app.inject('/admin/login');
      return app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: mergeCookies('', page.headers['set-cookie']) },
        payload: new URLSearchParams({ email: 'nobody@example.com', password: 'wrong', _csrf: csrfFrom(page.body) }).toString(),
      });
    };
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await attempt(i % 2 ? one : two)).statusCode);
    expect(codes.every((c) => c === 401)).toBe(true);
    expect((await attempt(one)).statusCode).toBe(429);
    expect(await redis.exists(`gazette:rate:http:POST/admin/login-${ip}`)).toBe(1);
  });
});
