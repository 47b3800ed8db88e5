/**
 * What the player keeps on this device, and only what the listener chose: the speed, where each
 * article was left off, and the "listen later" queue. Nothing is sent anywhere.
 */
export const KEYS = {
  speed: 'gazette:speed',
  queue: 'gazette:queue',
  resume: (file: string) => `gazette:listen:${file}`,
};

/** Reads (no value), writes, or removes ('') a key; private browsing or disabled storage is not an error. */
export function store(key: string, value?: string): string | null {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value === '') localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Remembering is a nicety.
  }
  return null;
}
