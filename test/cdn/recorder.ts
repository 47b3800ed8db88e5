import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server standing in for a CDN's API: records every request, answers what `answer` says. */
export interface Recorder {
  url: string;
  calls: Recorded[];
  answer: (call: Recorded) => { status: number; body?: string };
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const recorder = { calls: [] as Recorded[], answer: () => ({ status: 200, body: '{"success":true}' }) } as unknown as Recorder;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      recorder.calls.push(call);
      const { status, body: out } = recorder.answer(call);
      res.writeHead(status, { 'content-type': 'application/json' }).end(out ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  recorder.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  recorder.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return recorder;
}

/** Waits (up to 3 s) until `check` holds. */
export async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 150 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error('not within 3 s');
}
