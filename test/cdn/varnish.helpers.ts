import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Varnish {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

/** The shipped docs/varnish.vcl with its two backends pointed at these ports. */
export function shippedVcl(backendPorts: [number, number]): string {
  const vcl = readFileSync(new URL('../../docs/varnish.vcl', import.meta.url), 'utf8');
  if (!vcl.includes('"3001"') || !vcl.includes('"3002"')) throw new Error('docs/varnish.vcl: backend ports 3001/3002 not found');
  return vcl.replace('"3001"', `"${backendPorts[0]}"`).replace('"3002"', `"${backendPorts[1]}"`);
}

/** Debian's varnishd in the foreground, as this test's own child process, with a VCL of ours. */
export async function startVarnish(port: number, vcl: string): Promise<Varnish> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-varnish-'));
  // varnishd reads the VCL after dropping its privileges.
  chmodSync(dir, 0o755);
  const file = join(dir, 'gazette.vcl');
  writeFileSync(file, vcl, { mode: 0o644 });
  let output = '';
  const child: ChildProcess = spawn(
    'varnishd',
    ['-F', '-a', `127.0.0.1:${port}`, '-f', file, '-n', join(dir, 'work'), '-s', 'malloc,32m'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin` },
    },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => {
    output += String(err);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { url, stop, log: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`varnishd did not start:\n${output}`);
}
