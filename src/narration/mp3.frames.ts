/** Walks an MP3 stream frame by frame: to measure its true duration and to check what the encoder wrote. */

const BITRATES: Record<string, number[]> = {
  // kbps by index, for Layer III: MPEG-1, and MPEG-2/2.5.
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

export interface Mp3Frame {
  offset: number;
  length: number;
  sampleRate: number;
  bitrate: number;
  samples: number;
}

export interface Mp3Info {
  frames: number;
  sampleRate: number;
  samples: number;
  durationMs: number;
  /** Bytes before the first frame (an ID3 tag) plus any that are not frames. */
  junkBytes: number;
}

/** The Layer III frame header at `at`, or undefined when there is none. */
export function frameAt(bytes: Uint8Array, at: number): Mp3Frame | undefined {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return undefined;
  const version = (bytes[at + 1] >> 3) & 3;
  const layer = (bytes[at + 1] >> 1) & 3;
  if (version === 1 || layer !== 1) return undefined;
  const bitrateIndex = bytes[at + 2] >> 4;
  const rateIndex = (bytes[at + 2] >> 2) & 3;
  const padding = (bytes[at + 2] >> 1) & 1;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const bitrate = (version === 3 ? BITRATES.v1 : BITRATES.v2)[bitrateIndex] * 1000;
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  const samples = version === 3 ? 1152 : 576;
  const length = Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
  return { offset: at, length, sampleRate, bitrate, samples };
}

/** Every frame of the stream, in order; throws if the bytes are not a clean MP3 stream. */
export function mp3Frames(bytes: Uint8Array): Mp3Frame[] {
  let at = 0;
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    // ID3v2: a 10-byte header and a "syncsafe" size.
    at = 10 + ((bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9]);
  }
  const frames: Mp3Frame[] = [];
  while (at < bytes.length) {
    const frame = frameAt(bytes, at);
    if (!frame) throw new Error(`no MP3 frame at byte ${at}`);
    if (at + frame.length > bytes.length) throw new Error(`truncated MP3 frame at byte ${at}`);
    frames.push(frame);
    at += frame.length;
  }
  return frames;
}

export function mp3Info(bytes: Uint8Array): Mp3Info {
  const frames = mp3Frames(bytes);
  if (frames.length === 0) throw new Error('no MP3 frames');
  const sampleRate = frames[0].sampleRate;
  const samples = frames.reduce((n, f) => n + f.samples, 0);
  const frameBytes = frames.reduce((n, f) => n + f.length, 0);
  return {
    frames: frames.length,
    sampleRate,
    samples,
    durationMs: Math.round((samples / sampleRate) * 1000),
    junkBytes: bytes.length - frameBytes,
  };
}
