import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { voiceKey } from '../../src/narration/engine.registry.js';
import { fliteEngine, VOICE_STRETCH } from '../../src/narration/flite.engine.js';
import { SAMPLE_RATE, speak } from '../../src/narration/segment.synth.js';
import { loadSettings, saveSettings } from '../../src/settings/settings.service.js';
import { createTestDb, DIALECTS } from '../helpers/db.js';

describe('the default voice', () => {
  it('is rms, chosen by measurement', () => {
    expect(fliteEngine.defaultVoice).toBe('rms');
    expect(fliteEngine.voices()).toContain('rms');
  });

  it.each(DIALECTS)('applies only where no voice was chosen, on %s', async (dialect) => {
    const t = await createTestDb(dialect);
    try {
      expect((await loadSettings(t.db)).narrationVoice).toBe('rms');
      await saveSettings(t.db, { narrationEngine: 'flite', narrationVoice: 'slt' });
      expect((await loadSettings(t.db)).narrationVoice).toBe('slt');
    } finally {
      await t.close();
    }
  });
});

describe("each voice's own pace", () => {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-voice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seconds = async (voice: string, rate: number) => {
    const pcm = await fliteEngine.synthesize('The council approved the budget after a long night of debate.', {
      voice,
      rate,
      workDir: dir,
    });
    return pcm.samples.length / pcm.sampleRate;
  };

  it('keeps kal16 at its built-in stretch and scales it by the rate', async () => {
    expect(VOICE_STRETCH.kal16).toBe(1.1);
    const own = await seconds('kal16', 1);
    // At 1.1× the stretch is 1.0: what the engine used to force on every voice.
    const forced = await seconds('kal16', 1.1);
    expect(own / forced).toBeGreaterThan(1.05);
    expect(own / forced).toBeLessThan(1.15);
  });

  it('marks kal16 paragraphs made at the old pace as a different voice in the cache', () => {
    expect(voiceKey('flite', 'kal16')).not.toBe('kal16');
    expect(voiceKey('flite', 'rms')).toBe('rms');
    expect(voiceKey('flite', 'slt')).toBe('slt');
  });
});

describe('silence between sentences', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-pause-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const job = { engine: 'flite', voice: 'rms', rate: 1, sentences: ['Markets rose on Monday.', 'The euro fell.', 'Oil was flat.'] };

  it('is added between sentences only when asked, and the sentence starts follow it', async () => {
    const plain = await speak(job, dir);
    const paused = await speak({ ...job, sentencePauseMs: 250 }, dir);
    const gap = 0.25 * SAMPLE_RATE;
    expect(paused.pcm.samples.length - plain.pcm.samples.length).toBe(2 * gap);
    expect(paused.starts).toEqual([plain.starts[0], plain.starts[1] + gap, plain.starts[2] + 2 * gap]);
    // The added stretch is silence.
    const between = paused.pcm.samples.subarray(plain.starts[1], plain.starts[1] + gap);
    expect(between.every((v) => v === 0)).toBe(true);
  });
});
