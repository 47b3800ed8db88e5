import { createServer, Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawAnswer, RequestHead } from '../../src/cache/hit.http.js';
import { installSocketDoor } from '../../src/cache/socket.door.js';
import { rawExchange } from './door.helpers.js';

/**
 * What the socket door relies on of Node's HTTP server (docs/adr/0001-socket-door.md). When a
 * Node upgrade changes any of it, this file fails before readers notice.
 */

/** A stand-in for the page cache: `/hit` is answered at the socket, anything else is a miss. */
const door = {
  answer(head: RequestHead): RawAnswer | undefined {
    if (head.url !== '/hit') return undefined;
    return { head: Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 3\r\nx-answered-by: door\r\n'), body: Buffer.from('hit') };
  },
};

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`;

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s?.listening) await new Promise((r) => s.close(r));
});

/** A plain Node server with the door in front; its own handler names the paths it was asked for. */
async function serve(): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res: ServerResponse) => {
    seen.push(req.url ?? '');
    res.setHeader('x-answered-by', 'node');
    res.end('node');
  });
  server.keepAliveTimeout = 5000;
  expect(installSocketDoor(server, door)).toBe(true);
  const s = server;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as AddressInfo).port, seen };
}

describe("Node's HTTP server as the socket door finds it", () => {
  it('has one connection listener, its own, which the door can take and call with a socket', () => {
    const plain = createServer();
    const listeners = plain.listeners('connection');
    expect(listeners).toHaveLength(1);
    expect(typeof listeners[0]).toBe('function');
    expect(listeners[0].name).toBe('connectionListener');
    expect(listeners[0].length).toBe(1);
  });

  it('ends idle connections through closeIdleConnections, which close() calls and the door wraps', () => {
    expect(typeof Server.prototype.closeIdleConnections).toBe('function');
    // close() reaches the method through the instance, so the door's own version runs.
    const plain = createServer();
    let called = 0;
    plain.closeIdleConnections = () => {
      called++;
    };
    plain.close();
    expect(called).toBe(1);
  });

  it('lets bytes be put back in front of a socket stream (unshift) and emitted (the hand-off when the client has ended)', () => {
    expect(typeof Socket.prototype.unshift).toBe('function');
    expect(typeof Socket.prototype.emit).toBe('function');
    expect(typeof Socket.prototype.cork).toBe('function');
    expect('writableNeedDrain' in Socket.prototype).toBe(true);
  });
});

describe('the door on a plain Node server', () => {
  it('answers a hit, then hands the kept-alive connection and the unread bytes to Node', async () => {
    const { port, seen } = await serve();
    const { answers } = await rawExchange(port, get('/hit') + get('/miss') + get('/hit'), 3, 5000);
    expect(answers.map((a) => [a.status, /x-answered-by: (\w+)/i.exec(a.head)?.[1], a.body.toString()])).toEqual([
      [200, 'door', 'hit'],
      [200, 'node', 'node'],
      // Once handed over, the connection stays with Node: it answers the next hit itself.
      [200, 'node', 'node'],
    ]);
    expect(answers[0].head).toMatch(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nDate: .+ GMT$/);
    expect(seen).toEqual(['/miss', '/hit']);
  });

  it('hands over a request split across packets, and one from a client that already closed its side', async () => {
    const { port, seen } = await serve();
    const socket = new Socket();
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await new Promise<void>((r) => socket.connect(port, '127.0.0.1', r));
    socket.write(`${get('/hit')}GET /mi`);
    await new Promise((r) => setTimeout(r, 50));
    socket.end('ss HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((r) => socket.on('close', r));
    const text = Buffer.concat(chunks).toString();
    expect(text.match(/x-answered-by: \w+/gi)).toEqual(['x-answered-by: door', 'x-answered-by: node']);
    expect(seen).toEqual(['/miss']);
  });

  it("ends the connections it holds when the server closes (Node's close calls closeIdleConnections)", async () => {
    const { port } = await serve();
    const socket = new Socket();
    await new Promise<void>((r) => socket.connect(port, '127.0.0.1', r));
    const got: Buffer[] = [];
    socket.on('data', (c: Buffer) => got.push(c));
    socket.write(get('/hit'));
    await new Promise((r) => setTimeout(r, 50));
    expect(Buffer.concat(got).toString()).toContain('x-answered-by: door');
    const ended = new Promise((r) => socket.on('end', r));
    const s = server;
    await new Promise((r) => s?.close(r));
    await ended;
    socket.destroy();
  });
});
