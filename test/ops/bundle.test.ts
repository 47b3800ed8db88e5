import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, untilHealthy } from '../hostile/hostile.helpers.js';

const run = promisify(execFile);

/**
 * The installed command runs the bundled server (dist/server/): the same program as the sources,
 * in a few files. What a bundle can break is what a module finds by its own address — the
 * project's files (stylesheet, demo content) and the narration host it forks — so this starts
 * the real command on the demo newsroom and uses each.
 */
describe('the bundled server (npm run build → dist/server)', () => {
  let dataDir: string;
  let child: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    await run(process.execPath, ['scripts/build-server.mjs'], { timeout: 120_000 });
    dataDir = mkdtempSync(join(tmpdir(), 'gazette-bundle-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['bin/gazette.js', 'start'], {
      env: {
        ...process.env,
        GAZETTE_DATA: dataDir,
        DATABASE_URL: '',
        REDIS_URL: '',
        GAZETTE_SECRET: 'bundle-test-secret-0123456789abcdef',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    await untilHealthy(base, 60_000);
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is what bin/gazette.js runs: a few files, not the compiled tree', () => {
    const files = readdirSync('dist/server').filter((f) => f.endsWith('.js'));
    expect(files).toContain('main.js');
    expect(files).toContain('synth.host.js');
    expect(files.length).toBeLessThan(100);
    expect(existsSync('dist/server/main.js')).toBe(true);
  });

  // A server process keeps the source text of every bundle it loaded for its whole life. V8 stores
  // a text with one character outside Latin-1 at two bytes a character, so a single "—" left in the
  // 2 MB main chunk costs 2 MB more in every process; comments and indentation cost as much again.
  const largeFiles = () =>
    readdirSync('dist/server')
      .filter((f) => f.endsWith('.js') && statSync(join('dist/server', f)).size > 64 * 1024)
      .map((f) => ({ file: f, text: readFileSync(join('dist/server', f), 'latin1') }));

  it('holds only ASCII in every large file (one byte a character in memory)', () => {
    expect(largeFiles().length).toBeGreaterThan(2);
    for (const { file, text } of largeFiles()) {
      const at = text.search(/[\u0080-\uffff]/);
      expect(at === -1 ? '' : `${file}: …${text.slice(Math.max(0, at - 40), at + 10)}…`).toBe('');
    }
  });

  it('is minified: comments and indentation left out (long lines, not one statement a line)', () => {
    for (const { file, text } of largeFiles()) {
      const bytesPerLine = Math.round(text.length / text.split('\n').length);
      expect({ file, long: bytesPerLine > 1000 }).toEqual({ file, long: true });
    }
  });

  it('serves the demo newsroom with its stylesheet and scripts (project files found from the bundle)', async () => {
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length, html.slice(0, 2000)).toBeGreaterThan(0);
    for (const asset of new Set(assets)) expect((await fetch(`${base}${asset}`)).status, asset).toBe(200);
    const article = /href="(\/[a-z-]+\/[a-z0-9-]+)"/.exec(html.slice(html.indexOf('<main')))?.[1];
    expect(article).toBeTruthy();
    expect((await fetch(`${base}${article}`)).status).toBe(200);
  });

  it('narrates articles in the forked synthesis host and serves the MP3', async () => {
    const deadline = Date.now() + 120_000;
    let audio: string | undefined;
    const sitemap = await (await fetch(`${base}/sitemaps/articles-1.xml`)).text();
    const pages = [...sitemap.matchAll(/<loc>https?:\/\/[^/]+(\/[^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(pages.length).toBeGreaterThan(5);
    while (!audio && Date.now() < deadline) {
      for (const page of pages) {
        const html = await (await fetch(`${base}${page}`, { headers: { cookie: 'x=1' } })).text();
        audio = /src="(\/audio\/[^"]+\.mp3)"/.exec(html)?.[1];
        if (audio) break;
      }
      if (!audio) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(audio, output).toBeTruthy();
    const mp3 = await fetch(`${base}${audio}`);
    expect(mp3.status).toBe(200);
    expect(mp3.headers.get('content-type')).toContain('audio/mpeg');
    expect((await mp3.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(output).not.toContain('"level":50');
  }, 150_000);
});
