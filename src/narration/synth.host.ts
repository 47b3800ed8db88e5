/**
 * The synthesis host: a child process that does every CPU-heavy step of a narration, one
 * request at a time, at low priority: the script (HTML parsing, sentence splitting, text
 * normalisation), the speech engines, the MP3 encoder, and joining the segments into the final
 * file. The server only orchestrates (database, hashes, messages), so readers are answered while
 * an article is narrated. The server talks to it through `synth.client.ts`; if an engine crashes
 * this process, the server only sees a failed request and starts a new host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineInfo } from './engine.registry.js';
import { fliteRuns } from './flite.engine.js';
import { buildScript } from './narration.script.js';
import { joinSegments } from './segment.join.js';
import { makeSegment, makeWav } from './segment.synth.js';
import type { HostRequest, HostResponse } from './synth.protocol.js';

const workDir = mkdtempSync(join(tmpdir(), 'gazette-synth-'));
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));

let queue: Promise<void> = Promise.resolve();

async function handle(request: HostRequest): Promise<HostResponse> {
  try {
    switch (request.op) {
      case 'script':
        return { id: request.id, ok: true, result: buildScript(request.input) };
      case 'join':
        return { id: request.id, ok: true, result: await joinSegments(request.job) };
      case 'segment':
        return { id: request.id, ok: true, result: await makeSegment(request.job, workDir) };
      case 'wav':
        return { id: request.id, ok: true, result: await makeWav(request.job, workDir) };
      case 'engines':
        return { id: request.id, ok: true, result: engineInfo() };
      case 'stats':
        return { id: request.id, ok: true, result: { maxRssBytes: process.resourceUsage().maxRSS * 1024 } };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

// Node's WASI keeps a handle (and some memory) per program run; a fresh process every so often
// keeps both bounded. The client stops sending here once told, and disconnects when its answers are in.
const RETIRE_AFTER_RUNS = 32;
let retiring = false;

process.on('message', (request: HostRequest) => {
  queue = queue.then(async () => {
    const response = await handle(request);
    process.send?.(response);
    if (!retiring && fliteRuns() >= RETIRE_AFTER_RUNS) {
      retiring = true;
      process.send?.({ retire: true });
    }
  });
});
process.on('disconnect', () => process.exit(0));
