import type { NarrationTimings } from '../../src/narration/narration.timings.js';
import { type Cue, cueAt, cues, highlighter } from './player-follow.js';
import { clock, spoken } from './player-format.js';

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];
const SKIP_SECONDS = 15;

function store(key: string, value?: string): string | null {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value === '') localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private browsing or storage disabled: resuming is a nicety.
  }
  return null;
}

/** Paragraph buttons added per idle task. */
const BUTTONS_PER_TASK = 8;

/** Runs `fn` when the browser is idle (within a second), or soon where it cannot say. */
function whenIdle(fn: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
}

/** Turns the server-rendered player into the enhanced one and wires follow-along reading. */
export function attachPlayer(root: HTMLElement): void {
  const audio = root.querySelector<HTMLAudioElement>('[data-player-audio]');
  const ui = root.querySelector<HTMLElement>('[data-player-ui]');
  const play = root.querySelector<HTMLButtonElement>('[data-player-play]');
  const seek = root.querySelector<HTMLInputElement>('[data-player-seek]');
  const elapsed = root.querySelector<HTMLElement>('[data-player-elapsed]');
  const speed = root.querySelector<HTMLSelectElement>('[data-player-speed]');
  if (!audio || !ui || !play || !seek || !elapsed || !speed) return;
  const timingsEl = root.querySelector('[data-player-timings]');
  const article = root.closest('article') ?? document.body;
  // Which element each sentence is in: worked out when first needed (playing, or the
  // paragraphs' buttons added while the browser is idle), not while the page is first shown.
  let list: Cue[] | undefined;
  const cueList = () => {
    list ??= cues(JSON.parse(timingsEl?.textContent || '{"v":1,"p":[]}') as NarrationTimings, article);
    return list;
  };
  const mark = highlighter();
  const total = () => (Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : Number(root.dataset.duration) || 0);
  const resumeKey = `gazette:listen:${root.dataset.file ?? ''}`;

  audio.controls = false;
  audio.hidden = true;
  ui.hidden = false;
  root.classList.add('is-enhanced');

  const render = () => {
    const t = audio.currentTime;
    elapsed.textContent = clock(t);
    if (document.activeElement !== seek) seek.value = String(Math.floor(t));
    seek.setAttribute('aria-valuetext', `${spoken(t)} of ${spoken(total())}`);
    const playing = !audio.paused && !audio.ended;
    // A toggle button: its name stays "Play" and aria-pressed says whether it is playing.
    play.setAttribute('aria-pressed', String(playing));
    root.classList.toggle('is-playing', playing);
    if (playing || t > 0) mark(cueList()[cueAt(cueList(), t)]);
    else mark(undefined);
  };

  const toggle = () => (audio.paused ? void audio.play().catch(() => undefined) : audio.pause());
  const jump = (by: number) => {
    audio.currentTime = Math.min(Math.max(0, audio.currentTime + by), total());
    render();
  };
  const setSpeed = (rate: number) => {
    audio.playbackRate = rate;
    speed.value = String(rate);
  };

  play.addEventListener('click', toggle);
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-player-skip]')) {
    b.addEventListener('click', () => jump(Number(b.dataset.playerSkip)));
  }
  seek.addEventListener('input', () => {
    audio.currentTime = Number(seek.value);
    render();
  });
  speed.addEventListener('change', () => setSpeed(Number(speed.value)));
  for (const type of ['timeupdate', 'play', 'pause', 'ended', 'seeked', 'loadedmetadata']) audio.addEventListener(type, render);

  // Keyboard: inside the player, K/space play or pause, J/L skip, < and > change the speed.
  root.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey || target.tagName === 'SELECT') return;
    const key = event.key;
    const at = SPEEDS.indexOf(audio.playbackRate);
    if (key === 'k' || key === 'K' || (key === ' ' && target === seek)) toggle();
    else if (key === 'j' || key === 'J') jump(-SKIP_SECONDS);
    else if (key === 'l' || key === 'L') jump(SKIP_SECONDS);
    else if (key === '>') setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, at + 1)] ?? 1);
    else if (key === '<') setSpeed(SPEEDS[Math.max(0, at - 1)] ?? 1);
    else return;
    event.preventDefault();
  });

  // Resume where the reader left off.
  const saved = Number(store(resumeKey));
  if (saved > 5 && saved < total() - 5) {
    audio.currentTime = saved;
    seek.value = String(Math.floor(saved));
    elapsed.textContent = clock(saved);
  }
  let lastSaved = 0;
  audio.addEventListener('timeupdate', () => {
    if (Math.abs(audio.currentTime - lastSaved) < 5) return;
    lastSaved = audio.currentTime;
    store(resumeKey, String(Math.floor(audio.currentTime)));
  });
  audio.addEventListener('ended', () => store(resumeKey, ''));

  // "Play from here" beside each narrated paragraph; the button holds no text, so the paragraph's
  // text is unchanged. Added while the browser is idle, a few paragraphs at a time: each addition
  // lays the article out again, which on a phone would block the page for a long article at once.
  const addButton = (el: Element, cue: Cue) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'para-play';
    b.setAttribute('aria-label', 'Listen from this paragraph');
    b.addEventListener('click', () => {
      audio.currentTime = cue.time;
      void audio.play().catch(() => undefined);
      render();
    });
    el.classList.add('is-narrated');
    el.prepend(b);
  };
  whenIdle(() => {
    const firstCue = new Map<Element, Cue>();
    for (const cue of cueList()) if (cue.el && !firstCue.has(cue.el) && cue.el.closest('.article-body')) firstCue.set(cue.el, cue);
    const pending = [...firstCue];
    const next = () => {
      for (const [el, cue] of pending.splice(0, BUTTONS_PER_TASK)) addButton(el, cue);
      if (pending.length) whenIdle(next);
    };
    next();
  });

  const session = navigator.mediaSession;
  if (session && typeof MediaMetadata === 'function') {
    const artwork = root.dataset.artwork ? [{ src: root.dataset.artwork }] : [];
    session.metadata = new MediaMetadata({ title: root.dataset.title ?? document.title, artist: root.dataset.artist ?? '', artwork });
    const actions: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', () => void audio.play()],
      ['pause', () => audio.pause()],
      ['seekbackward', () => jump(-SKIP_SECONDS)],
      ['seekforward', () => jump(SKIP_SECONDS)],
      ['seekto', (d) => d.seekTime !== undefined && jump(d.seekTime - audio.currentTime)],
    ];
    for (const [action, handler] of actions) {
      try {
        session.setActionHandler(action, handler);
      } catch {
        // Older browsers reject actions they do not know.
      }
    }
  }
  render();
}
