import { createMp3Encoder } from 'wasm-media-encoders';
import type { Pcm } from './wav.codec.js';

/** Speech needs little: mono at 48 kbps is clear and small (about 21 MB for an hour). */
export const MP3_BITRATE = 48;

/**
 * Where a sound that starts at sample 0 of the input is heard in the LAME output: its encoder
 * delay (576) plus the decoder's filter delay (529). Sentence timings add this.
 */
export const ENCODER_DELAY_SAMPLES = 1105;

type Encoder = Awaited<ReturnType<typeof createMp3Encoder>>;
let encoder: Promise<Encoder> | undefined;

/** PCM → a complete MP3 stream (no tag frame), so separately encoded segments can be joined byte for byte. */
export async function encodeMp3(pcm: Pcm): Promise<Buffer> {
  encoder ??= createMp3Encoder();
  const e = await encoder;
  e.configure({ sampleRate: pcm.sampleRate, channels: 1, bitrate: MP3_BITRATE });
  const parts: Buffer[] = [];
  const chunk = 1 << 16;
  for (let at = 0; at < pcm.samples.length; at += chunk) {
    const slice = pcm.samples.subarray(at, at + chunk);
    const floats = new Float32Array(slice.length);
    for (let i = 0; i < slice.length; i++) floats[i] = slice[i] / 32768;
    // The encoder owns the returned memory: copy it before the next call.
    parts.push(Buffer.from(e.encode([floats])));
  }
  parts.push(Buffer.from(e.finalize()));
  return Buffer.concat(parts);
}
