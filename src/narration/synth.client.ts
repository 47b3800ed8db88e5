import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineInfo } from './engine.types.js';
import type { ScriptInput, ScriptParagraph } from './narration.script.js';
import type { HostRequest, HostResponse, HostStats, JoinJob, JoinResult, SegmentJob, SegmentResult } from './synth.protocol.js';

type Pending = { resolve(value: any): void; reject(error: Error): void; timer: NodeJS.Timeout; child: ChildProcess };
type Request = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface SynthClientOptions {
  /** A request that takes longer kills the host (a hung engine) and fails. */
  timeoutMs?: number;
  /** The host exits after this long without work, giving its memory back. */
  idleMs?: number;
}

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith('.ts');
const projectRoot = join(dirname(here), '..', '..');

/** The server's handle on the synthesis host process: started on demand, restarted after a crash. */
export class SynthClient {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;
  private readonly idleMs: number;

  constructor(options: SynthClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.idleMs = options.idleMs ?? 60_000;
  }

  /** What the narration reads, built in the host: parsing and normalising a long article takes a while. */
  script(input: ScriptInput): Promise<ScriptParagraph[]> {
    return this.send({ op: 'script', input });
  }

  segment(job: SegmentJob): Promise<SegmentResult> {
    return this.send({ op: 'segment', job });
  }

  /** Joins segment files into the article's MP3 in the host: the server never holds the audio. */
  join(job: JoinJob): Promise<JoinResult> {
    return this.send({ op: 'join', job });
  }

  wav(job: Omit<SegmentJob, 'pauseMs'>): Promise<{ durationMs: number }> {
    return this.send({ op: 'wav', job });
  }

  engines(): Promise<EngineInfo[]> {
    return this.send({ op: 'engines' });
  }

  stats(): Promise<HostStats> {
    return this.send({ op: 'stats' });
  }

  /** The host's process id while it runs (for tests that crash it on purpose). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.child?.kill();
    this.child = undefined;
  }

  private start(): ChildProcess {
    // From TypeScript sources (development, tests) the host needs the same loader as this process.
    const entry = join(dirname(here), fromSource ? 'synth.host.ts' : 'synth.host.js');
    const execArgv = ['--disable-warning=ExperimentalWarning', ...(fromSource ? ['--import', 'tsx'] : [])];
    const child = fork(entry, [], { cwd: projectRoot, execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      // Readers first: synthesis takes whatever CPU is left.
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      // Not permitted on some systems; synthesis then competes at normal priority.
    }
    child.on('message', (message: HostResponse | { retire: true }) => {
      if ('retire' in message) {
        // The host asked to be replaced: new requests go to a new host; this one leaves when done.
        if (this.child === child) this.child = undefined;
        this.releaseIfIdle(child);
        return;
      }
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.result);
      else p.reject(new Error(message.error));
      if (this.child !== child) this.releaseIfIdle(child);
      this.armIdle();
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const why = new Error(`the speech engine stopped unexpectedly (${signal ?? `exit code ${code}`})`);
      for (const [id, p] of this.pending) {
        if (p.child !== child) continue;
        clearTimeout(p.timer);
        p.reject(why);
        this.pending.delete(id);
      }
    });
    child.on('error', () => undefined);
    return child;
  }

  private releaseIfIdle(child: ChildProcess) {
    for (const p of this.pending.values()) if (p.child === child) return;
    if (child.connected) child.disconnect();
  }

  private armIdle() {
    clearTimeout(this.idleTimer);
    if (this.pending.size || !this.child) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private send<T>(request: Request): Promise<T> {
    clearTimeout(this.idleTimer);
    this.child ??= this.start();
    const child = this.child;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the speech engine took longer than ${Math.round(this.timeoutMs / 1000)} s`));
        child.kill('SIGKILL');
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, child });
      child.send({ ...request, id } as HostRequest);
    });
  }
}
