import type { Config } from '../config.js';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, or that the readable form shows in its own way. */
const SHOWN_APART = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime', 'err', 'role']);
/** Requests whose start was seen and whose end was not yet (bounded: a lost end must not grow it). */
const OPEN_REQUESTS_MAX = 1000;

/** Secrets that may travel in a query string (setup and reset links) never reach the log. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|key|secret)=)[^&#]*/gi, '$1[redacted]');
}

/** What each request's log line says about it: Fastify's fields, with the URL's secrets redacted. */
export const requestSerializer = (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
  method: req.method,
  url: redactUrl(req.url),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

const clock = (time: unknown) => {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  return d.toTimeString().slice(0, 8);
};

const value = (v: unknown) => (typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v));

/**
 * Turns pino's JSON lines into lines a person reads at a terminal: time, level, message and the
 * other fields as key=value; one line per request ("GET /path 200 3 ms") instead of two.
 */
export function prettyFormatter() {
  const open = new Map<string, string>();
  return (entry: Record<string, unknown>): string | null => {
    const level = Number(entry.level ?? 30);
    const name = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
    const req = entry.req as { method?: string; url?: string } | undefined;
    const id = String(entry.reqId ?? '');
    if (entry.msg === 'incoming request' && req) {
      open.set(id, `${req.method} ${req.url}`);
      if (open.size > OPEN_REQUESTS_MAX) open.delete(open.keys().next().value as string);
      return null;
    }
    let msg = String(entry.msg ?? '');
    const res = entry.res as { statusCode?: number } | undefined;
    if (msg === 'request completed' && res) {
      const what = open.get(id) ?? 'request';
      open.delete(id);
      const ms = typeof entry.responseTime === 'number' ? ` ${entry.responseTime.toFixed(1)} ms` : '';
      msg = `${what} ${res.statusCode}${ms}`;
    } else if (req?.method) {
      msg = `${msg} (${req.method} ${req.url})`;
    }
    const who = entry.role === 'primary' ? ' [primary]' : '';
    const extra = Object.entries(entry)
      .filter(([k, v]) => !SHOWN_APART.has(k) && v !== undefined)
      .map(([k, v]) => `${k}=${value(v)}`);
    let line = `${clock(entry.time)} ${name}${who} ${msg}${extra.length ? `  ${extra.join(' ')}` : ''}`;
    const err = entry.err as { message?: string; stack?: string } | undefined;
    if (err) line += level >= 50 && err.stack ? `\n${err.stack.replace(/^/gm, '    ')}` : `: ${err.message ?? ''}`;
    return `${line}\n`;
  };
}

/** A destination for pino that writes readable lines to `out`. */
export function prettyStream(out: { write(text: string): unknown } = process.stdout) {
  const format = prettyFormatter();
  return {
    write(chunk: string) {
      for (const json of chunk.split('\n')) {
        if (!json) continue;
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(json);
        } catch {
          out.write(`${json}\n`);
          continue;
        }
        const line = format(entry);
        if (line) out.write(line);
      }
    },
  };
}

/** Fastify's logger for the server: JSON lines, or readable ones for a person at a terminal. */
export function loggerOptions(config: Pick<Config, 'logLevel' | 'logFormat'>) {
  return {
    level: config.logLevel,
    serializers: { req: requestSerializer },
    ...(config.logFormat === 'pretty' ? { stream: prettyStream() } : {}),
  };
}
