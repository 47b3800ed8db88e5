import { join } from 'node:path';

/** Where narration audio lives under the data folder (or the bucket mounted there: src/storage). */
export const audioDir = (dataDir: string) => join(dataDir, 'narration', 'audio');
/** Each paragraph's audio, by the hash of what it says and how: reused when the paragraph is unchanged. */
export const segmentDir = (dataDir: string) => join(dataDir, 'narration', 'segments');

/** Hashed names: a changed narration gets a new URL, so the audio can be cached forever. */
export const audioFileName = (articleId: number, hash: string) => `${articleId}-${hash.slice(0, 16)}.mp3`;
export const AUDIO_FILE_PATTERN = /^\d{1,12}-[0-9a-f]{16}\.mp3$/;
export const audioUrl = (file: string) => `/audio/${file}`;
