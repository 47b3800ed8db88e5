import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { TrustProxy } from '../../src/config.js';
import { clientAddress, fastifyTrustProxy, proxyTrust } from '../../src/web/security.js';

// Code that reads Node's request itself (the beacon's front door) must see the same client as
// Fastify's request.ip, whatever GAZETTE_TRUST_PROXY says.
const SETTINGS: TrustProxy[] = [false, 1, 2, ['127.0.0.1'], ['10.0.0.0/8', '127.0.0.1']];
const CHAINS: (string | undefined)[] = [
  undefined,
  '203.0.113.7',
  '198.51.100.1, 203.0.113.7',
  '198.51.100.1, 10.1.2.3',
  '192.0.2.9,198.51.100.1 , 10.1.2.3',
  '10.9.9.9, 10.1.2.3',
];

describe('the client address outside Fastify', () => {
  it.each(SETTINGS.map((s) => [JSON.stringify(s), s] as const))('agrees with request.ip when trusting %s', async (_name, setting) => {
    const app = Fastify({ trustProxy: fastifyTrustProxy(setting) });
    app.get('/', async (request) => ({ ip: request.ip }));
    const trust = proxyTrust(setting);
    for (const chain of CHAINS) {
      for (const peer of ['127.0.0.1', '10.1.1.1', '203.0.113.50']) {
        const res = await app.inject({ url: '/', remoteAddress: peer, headers: chain === undefined ? {} : { 'x-forwarded-for': chain } });
        expect(clientAddress(peer, chain, trust), `${peer} ← ${chain}`).toBe(res.json().ip);
      }
    }
    await app.close();
  });
});
