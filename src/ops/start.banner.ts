import type { LogFormat } from '../config.js';

/** The path of the first-admin setup page for a setup secret. */
export const setupPath = (token: string) => `/admin/setup?token=${encodeURIComponent(token)}`;

export interface ReadyInfo {
  host: string;
  port: number;
  /** The one-time first-admin setup secret, while the install has no admin. */
  setupToken: string | null;
  /** Server processes sharing the port (cluster). */
  workers?: number;
}

/** The address a browser on this machine opens: a wildcard host is reached as localhost. */
export function originOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** The addresses of a started server, as the JSON "ready" log line gives them. */
export function readyFields(info: ReadyInfo) {
  const origin = originOf(info.host, info.port);
  return {
    url: `${origin}/`,
    newsroom: `${origin}/admin`,
    ...(info.workers && info.workers > 1 ? { workers: info.workers } : {}),
    ...(info.setupToken ? { setupUrl: `${origin}${setupPath(info.setupToken)}` } : {}),
  };
}

/** The message a person at a terminal sees once the server answers: where to go and how to get in. */
export function readyMessage(info: ReadyInfo): string {
  const f = readyFields(info);
  const lines = [
    '',
    `Gazette is ready${info.workers && info.workers > 1 ? ` (${info.workers} server processes)` : ''}.`,
    '',
    `  Site:      ${f.url}`,
    `  Newsroom:  ${f.newsroom}`,
    '',
  ];
  const add = 'npx gazette user add --email you@example.org --name "Your Name" --role admin';
  if (f.setupUrl) {
    lines.push(
      'There is no admin account yet. Create the first one in your browser (this link works once;',
      'each start prints a new one):',
      '',
      `  ${f.setupUrl}`,
      '',
      'or on the command line:',
      '',
      `  ${add}`,
      '',
    );
  } else {
    lines.push(
      `Log in at ${f.newsroom}/login. Add staff in the newsroom (Staff) or with:`,
      '',
      `  ${add.replace(' admin', ' editor')}`,
      '',
    );
  }
  lines.push('Press Ctrl+C to stop.', '');
  return lines.join('\n');
}

/** Says the server is ready: the message above at a terminal, one JSON log line otherwise. */
export function announceReady(format: LogFormat, info: ReadyInfo, log: { info(fields: object, msg: string): void }): void {
  if (format === 'pretty') process.stdout.write(readyMessage(info));
  else log.info(readyFields(info), 'ready');
}
