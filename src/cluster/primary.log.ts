const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** The primary's log lines, in the same JSON-lines shape as the workers' (pino) logs. */
export function primaryLog(level: string) {
  const threshold = LEVELS[level] ?? 30;
  const write = (n: number, msg: string) => {
    if (n < threshold) return;
    const line = JSON.stringify({ level: n, time: Date.now(), pid: process.pid, role: 'primary', msg });
    (n >= 50 ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return {
    info: (msg: string) => write(30, msg),
    error: (msg: string) => write(50, msg),
  };
}
