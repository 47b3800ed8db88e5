import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { JobHandler } from '../jobs/job.runner.js';
import { narrationJobHandler } from './narration.job.js';
import { type NarrationOutcome, type NarratorDeps, narrateArticle } from './narration.narrator.js';
import { RETIRE_AUDIO_JOB, retireAudioHandler } from './narration.retire.js';
import { NARRATION_JOB } from './narration.service.js';
import { SynthClient, type SynthClientOptions } from './synth.client.js';

export interface Narrator {
  narrate(articleId: number, opts?: { force?: boolean }): Promise<NarrationOutcome>;
  /** The narration jobs' rows of the job-type → handler table (narrate; remove replaced audio), for a runner of its own. */
  handlers: Record<string, JobHandler>;
  synth: SynthClient;
  close(): void;
}

/** Wires the narration job: one synthesis host per process, started when the first job needs it. */
export function createNarrator(opts: { db: Kysely<Database>; dataDir: string; synth?: SynthClientOptions }): Narrator {
  const synth = new SynthClient(opts.synth);
  const deps: NarratorDeps = { db: opts.db, dataDir: opts.dataDir, synth };
  const narrate = (articleId: number, o: { force?: boolean } = {}) => narrateArticle(deps, articleId, o);
  return {
    narrate,
    synth,
    handlers: { [NARRATION_JOB]: narrationJobHandler(opts.db, narrate), [RETIRE_AUDIO_JOB]: retireAudioHandler(opts.db, opts.dataDir) },
    close: () => synth.close(),
  };
}
