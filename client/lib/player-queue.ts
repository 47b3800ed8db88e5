import { KEYS, store } from './player-store.js';

/** One article waiting in the "listen later" queue (kept on this device only). */
export interface Queued {
  /** The article's path on this site. */
  u: string;
  /** Its headline. */
  t: string;
}

const LIMIT = 50;

export function readQueue(): Queued[] {
  try {
    const list = JSON.parse(store(KEYS.queue) ?? '[]') as unknown;
    if (!Array.isArray(list)) return [];
    // Only this site's paths: the stored value is never trusted to be a link elsewhere.
    return list.filter(
      (q): q is Queued => typeof q?.u === 'string' && q.u.startsWith('/') && !q.u.startsWith('//') && typeof q.t === 'string',
    );
  } catch {
    return [];
  }
}

function writeQueue(list: Queued[]): void {
  store(KEYS.queue, list.length ? JSON.stringify(list.slice(0, LIMIT)) : '');
}

export const inQueue = (path: string) => readQueue().some((q) => q.u === path);

export function addToQueue(item: Queued): void {
  writeQueue([...readQueue().filter((q) => q.u !== item.u), item]);
}

export function removeFromQueue(path: string): void {
  writeQueue(readQueue().filter((q) => q.u !== path));
}

/** The first queued article other than this one. */
export const nextInQueue = (path: string) => readQueue().find((q) => q.u !== path);

/**
 * Wires the "Listen later" toggle and the queue list of one player. The elements are rendered by
 * the server (hidden from view until enhanced, so showing them moves nothing).
 */
export function attachQueue(root: HTMLElement, path: string, title: string): void {
  const later = root.querySelector<HTMLButtonElement>('[data-player-later]');
  const count = root.querySelector<HTMLElement>('[data-player-queue-count]');
  const list = root.querySelector<HTMLOListElement>('[data-player-queue-list]');
  if (!later || !count || !list) return;
  const render = () => {
    const queue = readQueue();
    later.setAttribute('aria-pressed', String(queue.some((q) => q.u === path)));
    count.textContent = String(queue.length);
    const items = queue.map((q) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = q.u;
      a.textContent = q.t;
      if (q.u === path) a.setAttribute('aria-current', 'page');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'listen-queue-remove';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove “${q.t}” from your queue`);
      remove.addEventListener('click', () => {
        removeFromQueue(q.u);
        render();
        later.focus();
      });
      li.append(a, ' ', remove);
      return li;
    });
    if (items.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Nothing yet: “Listen later” adds this article.';
      items.push(li);
    }
    list.replaceChildren(...items);
  };
  later.addEventListener('click', () => {
    if (inQueue(path)) removeFromQueue(path);
    else addToQueue({ u: path, t: title });
    render();
  });
  // Another tab changed the queue.
  window.addEventListener('storage', (e) => {
    if (e.key === KEYS.queue) render();
  });
  render();
}
