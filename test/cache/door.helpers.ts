import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  head: string;
  body: Buffer;
}

/** Splits raw response bytes into answers (Content-Length framing; no body for 304 or a head-only answer). */
export function splitAnswers(bytes: Buffer): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    const head = bytes.toString('latin1', at, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const status = Number(head.slice(9, 12));
    const size = status !== 304 && length ? Number(length[1]) : 0;
    if (end + 4 + size > bytes.length) break;
    answers.push({ status, head, body: bytes.subarray(end + 4, end + 4 + size) });
    at = end + 4 + size;
  }
  return answers;
}

/**
 * Sends `bytes` on a new connection at once and reads until `count` answers are complete or the
 * server closes the connection (`closed`); `waitMs` only ends a test that would otherwise hang.
 */
export function rawExchange(
  port: number,
  bytes: string,
  count: number,
  waitMs = 20_000,
): Promise<{ answers: RawAnswer[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers: splitAnswers(Buffer.concat(chunks)), closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (splitAnswers(Buffer.concat(chunks)).length >= count) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', reject);
    socket.on('connect', () => socket.write(bytes));
  });
}

/** A plain GET as a browser behind the test's proxy sends it. */
export const rawGet = (path: string, from = '203.0.113.50') =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: ${from}\r\nAccept-Encoding: gzip\r\n\r\n`;
