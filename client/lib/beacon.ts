/**
 * Cookie-free reader analytics: a page view, how far the body was read, engaged time, listens,
 * shares, the comment form and newsletter sign-ups, each sent with `navigator.sendBeacon` to
 * /api/v1/beacon. Nothing is stored on the device and no identifier is sent: the server tells
 * readers apart for one day only, by a salted hash it forgets at midnight.
 */
const ENDPOINT = '/api/v1/beacon';
const STEP = 5;

type Extra = Record<string, string | number>;

function send(type: string, extra: Extra = {}): void {
  const body = JSON.stringify({ type, path: location.pathname, ...extra });
  // text/plain: no preflight, no cookie needed.
  if (navigator.sendBeacon?.(ENDPOINT, body)) return;
  fetch(ENDPOINT, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => undefined);
}

function viewBeacon(): Extra {
  const extra: Extra = {};
  try {
    const from = document.referrer ? new URL(document.referrer) : null;
    if (from && from.host !== location.host && /^https?:$/.test(from.protocol)) extra.referrer = from.hostname;
  } catch {}
  const q = new URLSearchParams(location.search);
  for (const k of ['utm_source', 'utm_medium', 'utm_campaign']) {
    const v = q.get(k);
    if (v) extra[k] = v.slice(0, 100);
  }
  const w = innerWidth;
  extra.screen = w < 640 ? 's' : w < 1024 ? 'm' : 'l';
  return extra;
}

/** 25/50/75/100 %: the block of the body at each quarter, sent once when it comes into view. */
function watchDepth(body: Element): void {
  const blocks = body.children;
  if (!blocks.length || !('IntersectionObserver' in window)) return;
  const marks = new Map<Element, number[]>();
  for (const q of [25, 50, 75, 100]) {
    const el = blocks[Math.max(0, Math.ceil((blocks.length * q) / 100) - 1)];
    marks.set(el, [...(marks.get(el) ?? []), q]);
  }
  const seen = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      seen.unobserve(e.target);
      for (const q of marks.get(e.target) ?? []) send('depth', { value: q });
    }
  });
  for (const el of marks.keys()) seen.observe(el);
}

/** Seconds the page was visible, counted in 5-second steps, sent when the reader leaves or hides it. */
function watchEngagement(): void {
  let unsent = 0;
  setInterval(() => {
    if (document.visibilityState === 'visible') unsent += STEP;
  }, STEP * 1000);
  const flush = () => {
    if (unsent > 0) send('engaged', { value: Math.min(unsent, 3600) });
    unsent = 0;
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
}

/** Listens: media events caught on the way down (they do not bubble), whatever player wraps the audio. */
function watchListens(): void {
  const reached = new WeakMap<EventTarget, number>();
  document.addEventListener(
    'play',
    (e) => {
      if (!(e.target instanceof HTMLAudioElement) || reached.has(e.target)) return;
      reached.set(e.target, 0);
      send('listen', { value: 0 });
    },
    true,
  );
  document.addEventListener(
    'timeupdate',
    (e) => {
      const a = e.target;
      if (!(a instanceof HTMLAudioElement) || !a.duration || !Number.isFinite(a.duration)) return;
      const done = reached.get(a) ?? 0;
      // The last quarter counts from 98 % (players often stop a frame short of the end).
      const share = a.ended ? 100 : (a.currentTime / a.duration) * 100;
      for (const q of [25, 50, 75, 100]) {
        if (q > done && share >= (q === 100 ? 98 : q)) {
          reached.set(a, q);
          send('listen', { value: q });
        }
      }
    },
    true,
  );
}

function watchActions(): void {
  document.addEventListener(
    'click',
    (e) => {
      const el = (e.target as Element | null)?.closest?.('.share a, [data-copy-link], [data-web-share]');
      if (!el) return;
      const network = el.hasAttribute('data-copy-link')
        ? 'copy'
        : el.hasAttribute('data-web-share')
          ? 'native'
          : (/share-([a-z0-9-]+)/.exec(el.className)?.[1] ?? 'link');
      send('share', { detail: network });
    },
    true,
  );
  let opened = false;
  document.addEventListener('focusin', (e) => {
    if (!opened && (e.target as Element | null)?.closest?.('[data-comment-form]')) {
      opened = true;
      send('comment', { detail: 'open' });
    }
  });
  document.addEventListener(
    'submit',
    (e) => {
      const form = e.target as HTMLFormElement;
      if (form.matches?.('[data-comment-form]')) send('comment', { detail: 'submit' });
      else if (/\/newsletters\/subscribe$/.test(new URL(form.action, location.href).pathname)) send('signup');
    },
    true,
  );
}

/** Starts the beacon: the view, depth and engaged time once the page has loaded and the browser is idle. */
export function startBeacon(): void {
  const start = () => {
    send('view', viewBeacon());
    const body = document.querySelector('.article-body');
    if (body) watchDepth(body);
    watchEngagement();
  };
  // A few listeners at once (a reader may press play before the page is idle); the rest waits.
  watchListens();
  watchActions();
  const idle = () => ('requestIdleCallback' in window ? requestIdleCallback(start, { timeout: 3000 }) : setTimeout(start, 200));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}
