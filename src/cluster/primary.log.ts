import type { LogFormat } from '../config.js';
import { prettyFormatter } from '../ops/log.format.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** The primary's log lines, in the same shape as the workers' (pino) logs: JSON lines, or readable ones at a terminal. */
export function primaryLog(level: string, format: LogFormat = 'json') {
  const threshold = LEVELS[level] ?? 30;
  const pretty = format === 'pretty' ? prettyFormatter() : undefined;
  const write = (n: number, msg: string, fields: object = {}) => {
    if (n < threshold) return;
    const entry = { level: n, time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg };
    const line = pretty ? pretty(entry) : `${JSON.stringify(entry)}\n`;
    if (line) (n >= 50 ? process.stderr : process.stdout).write(line);
  };
  return {
    info: (msg: string, fields?: object) => write(30, msg, fields),
    error: (msg: string, fields?: object) => write(50, msg, fields),
  };
}
