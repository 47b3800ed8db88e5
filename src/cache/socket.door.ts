import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FrontDoor } from './front.door.js';
import type { RawAnswer, RequestHead } from './hit.http.js';

/** Node's default limit on a request head; a longer one goes to Node's parser, which answers 431. */
const MAX_HEAD = 16 * 1024;
/** A head still incomplete after this long is dropped, as Node's headersTimeout does. */
const HEAD_TIMEOUT_MS = 60_000;
const END_OF_HEAD = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^(GET|HEAD) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\t\x20-\x7e]*$/;
/** Headers that make a request more than a plain read of a page: Node's parser handles those. */
const NOT_PLAIN = new Set(['content-length', 'transfer-encoding', 'upgrade', 'expect', 'connection', 'http2-settings', 'te', 'trailer']);

/**
 * Reads a request head (the bytes before the blank line) when it is a plain HTTP/1.1 GET or
 * HEAD with well-formed, unrepeated headers and no body; anything else is null and is left to
 * Node's own parser. Being strict here is what keeps the two parsers from ever disagreeing
 * about where a request ends: a request this reads has no body, so it ends at the blank line.
 */
export function parseHead(text: string): RequestHead | null {
  const lines = text.split('\r\n');
  const line = REQUEST_LINE.exec(lines[0]);
  if (!line) return null;
  const headers: IncomingHttpHeaders = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const entry = lines[i];
    const colon = entry.indexOf(':');
    if (colon <= 0) return null;
    const name = entry.slice(0, colon);
    const raw = entry.slice(colon + 1);
    if (!TOKEN.test(name) || !VALUE.test(raw)) return null;
    const key = name.toLowerCase();
    const value = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (key in headers) return null;
    if (NOT_PLAIN.has(key) && !(key === 'connection' && value.toLowerCase() === 'keep-alive')) return null;
    headers[key] = value;
  }
  if (!headers.host) return null;
  return { method: line[1], url: line[2], headers, socket: null };
}

/** True when a line of the bytes ends with LF alone (HTTP/1.1 lines end with CRLF). */
export function hasBareLineFeed(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) {
    if (i === 0 || bytes[i - 1] !== 0x0d) return true;
  }
  return false;
}

let dateSecond = -1;
let dateLine = Buffer.alloc(0);

/** The Date header and the blank line that ends a head, made once a second. */
function dateAndEnd(): Buffer {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateLine = Buffer.from(`Date: ${new Date(second * 1000).toUTCString()}\r\n\r\n`, 'latin1');
  }
  return dateLine;
}

let keepAliveFor = -1;
let keepAliveBytes = Buffer.alloc(0);

/** The Connection and Keep-Alive headers Node sends on a kept-alive answer, made once per timeout. */
function keepAliveLines(timeoutMs: number): Buffer {
  if (timeoutMs !== keepAliveFor) {
    keepAliveFor = timeoutMs;
    keepAliveBytes = Buffer.from(`Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(timeoutMs / 1000)}\r\n`);
  }
  return keepAliveBytes;
}

/** Answers up to this size are written as one buffer; larger ones as their parts. */
const JOIN_LIMIT = 32 * 1024;
/** At most this many whole answers are kept in one second (each page and encoding asked for). */
const JOINED_PER_SECOND = 128;

let joinedSecond = -1;
let joinedKeepAlive: Buffer | undefined;
/** Whole answers made this second, by answer head, with the body and without it (HEAD). */
let joinedFull = new Map<Buffer, Buffer>();
let joinedBare = new Map<Buffer, Buffer>();

/**
 * The whole answer (head, Connection, Date, body) as one buffer, made once a second per page and
 * encoding asked for: one plain write, where its four parts took a gathered write and Node's
 * corked-stream bookkeeping on every hit (a tenth more hits a second on one process). What is
 * kept is dropped when the second turns, so it holds at most JOINED_PER_SECOND small answers.
 * Undefined (write the parts) for a large body, or when this second's store is full.
 */
export function wholeAnswer(answer: RawAnswer, keepAlive: Buffer): Buffer | undefined {
  if ((answer.body?.length ?? 0) > JOIN_LIMIT) return undefined;
  const date = dateAndEnd();
  if (joinedSecond !== dateSecond || joinedKeepAlive !== keepAlive) {
    joinedSecond = dateSecond;
    joinedKeepAlive = keepAlive;
    joinedFull = new Map();
    joinedBare = new Map();
  }
  const made = answer.body ? joinedFull : joinedBare;
  let bytes = made.get(answer.head);
  if (!bytes) {
    if (joinedFull.size + joinedBare.size >= JOINED_PER_SECOND) return undefined;
    bytes = Buffer.concat(answer.body ? [answer.head, keepAlive, date, answer.body] : [answer.head, keepAlive, date]);
    made.set(answer.head, bytes);
  }
  return bytes;
}

/**
 * Puts a door in front of Node's HTTP parser: while a keep-alive connection asks only for
 * cached pages, each answer is written to the socket as prepared bytes (status line, headers,
 * body), without building Node's request and response objects. The first request that is not
 * a plain read of a cached page, and everything after it, goes to Node's HTTP server with the
 * connection, exactly as received. What it relies on of Node, and how to tell when that changed:
 * docs/adr/0001-socket-door.md (test/cache/socket-door.node.test.ts). False: not installed.
 */
export function installSocketDoor(server: Server, front: Pick<FrontDoor, 'answer'>): boolean {
  const [nodeListener] = server.listeners('connection') as Array<(socket: Socket) => void>;
  if (!nodeListener) return false;
  server.removeAllListeners('connection');
  const open = new Set<Socket>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    if (closing) nodeListener.call(server, socket);
    else watch(socket);
  });
  // Fastify and server.close() end idle connections through this; the door's are always idle.
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    closing = true;
    for (const socket of open) socket.end();
    open.clear();
    closeIdle();
  };

  function watch(socket: Socket): void {
    open.add(socket);
    let pending: Buffer | undefined;
    let partialSince = 0;
    let ended = false;

    const answerAll = () => {
      while (pending) {
        if (socket.writableNeedDrain) {
          socket.pause();
          return;
        }
        const end = pending.indexOf(END_OF_HEAD);
        if (end > MAX_HEAD || (end === -1 && pending.length > MAX_HEAD)) return handOff();
        if (end === -1 && ended) {
          // The client will send nothing more: its unfinished head can never be answered.
          pending = undefined;
          break;
        }
        if (end === -1) {
          // A line ended by a bare LF: no CRLF CRLF will come, and Node's parser answers such a request 400.
          if (hasBareLineFeed(pending)) return handOff();
          if (!partialSince) partialSince = Date.now();
          else if (Date.now() - partialSince > HEAD_TIMEOUT_MS) socket.destroy();
          return;
        }
        partialSince = 0;
        const head = closing ? null : parseHead(pending.toString('latin1', 0, end));
        const answer = head && front.answer(head);
        if (!answer) return handOff();
        pending = end + 4 < pending.length ? pending.subarray(end + 4) : undefined;
        const keepAlive = keepAliveLines(server.keepAliveTimeout);
        const whole = wholeAnswer(answer, keepAlive);
        if (whole) socket.write(whole);
        else {
          socket.cork();
          socket.write(answer.head);
          socket.write(keepAlive);
          socket.write(dateAndEnd());
          if (answer.body) socket.write(answer.body);
          socket.uncork();
        }
      }
      // The client sent its last request: close once the answers are written.
      if (ended) socket.end();
    };
    const onData = (chunk: Buffer) => {
      pending = pending ? Buffer.concat([pending, chunk]) : chunk;
      answerAll();
    };
    const onDrain = () => {
      socket.resume();
      answerAll();
    };
    const onEnd = () => {
      ended = true;
      answerAll();
    };
    const listeners = {
      data: onData,
      drain: onDrain,
      end: onEnd,
      timeout: () => socket.destroy(),
      error: () => socket.destroy(),
      close: () => open.delete(socket),
    };

    /** Gives the connection, and the bytes not yet answered, to Node's HTTP server. */
    const handOff = () => {
      for (const [event, listener] of Object.entries(listeners)) socket.off(event, listener);
      socket.setTimeout(0);
      open.delete(socket);
      nodeListener.call(server, socket);
      const rest = pending;
      pending = undefined;
      if (!ended) {
        if (rest) socket.unshift(rest);
        return;
      }
      // The client already closed its side, so the stream cannot take the bytes back: Node's
      // server gets them, and the end, as the events it listens to.
      if (rest) socket.emit('data', rest);
      socket.emit('end');
    };

    for (const [event, listener] of Object.entries(listeners)) socket.on(event, listener);
    socket.setTimeout(server.keepAliveTimeout);
  }
  return true;
}
