import type { NarrationTimings } from '../../src/narration/narration.timings.js';
import { type Cue, cueAt, cues, highlighter } from './player-follow.js';
import { clock, spoken } from './player-format.js';
import { attachParagraphs, neighbourStart, paragraphStarts } from './player-paragraphs.js';
import { attachQueue, nextInQueue, removeFromQueue } from './player-queue.js';
import { KEYS, store } from './player-store.js';

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];
const SKIP_SECONDS = 15;
const CANNOT_LOAD = 'The audio could not be loaded. The article may have been updated: reload the page to listen.';

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
  const resumeKey = KEYS.resume(root.dataset.file ?? '');
  const status = root.querySelector<HTMLElement>('[data-player-status]');
  const path = location.pathname;
  let starts: Cue[] | undefined;
  const paragraphs = () => {
    starts ??= paragraphStarts(cueList());
    return starts;
  };
  const say = (message: string, next?: { u: string; t: string }) => {
    if (!status) return;
    status.hidden = !message;
    status.textContent = message;
    if (next) {
      const a = document.createElement('a');
      a.href = next.u;
      a.textContent = next.t;
      status.append(' ', a);
    }
  };

  audio.controls = false;
  audio.hidden = true;
  ui.hidden = false;
  root.classList.add('is-enhanced');

  const render = () => {
    const t = audio.currentTime;
    // At the end the elapsed time is the duration, shown as the total is (the same rounding).
    elapsed.textContent = clock(audio.ended ? total() : t);
    if (document.activeElement !== seek) seek.value = String(Math.floor(t));
    seek.setAttribute('aria-valuetext', `${spoken(t)} of ${spoken(total())}`);
    const playing = !audio.paused && !audio.ended;
    // A toggle button: its name stays "Play" and aria-pressed says whether it is playing.
    play.setAttribute('aria-pressed', String(playing));
    root.classList.toggle('is-playing', playing);
    if (playing || t > 0) mark(cueList()[cueAt(cueList(), t)]);
    else mark(undefined);
  };

  const start = () => {
    say('');
    audio.play().catch((e: Error) => {
      // Refused autoplay is the browser's rule, not a fault; anything else means no audio.
      if (e.name !== 'NotAllowedError' && e.name !== 'AbortError') say(CANNOT_LOAD);
    });
  };
  const toggle = () => (audio.paused ? start() : audio.pause());
  const jump = (by: number) => {
    audio.currentTime = Math.min(Math.max(0, audio.currentTime + by), total());
    render();
  };
  const setSpeed = (rate: number, remember = true) => {
    if (!SPEEDS.includes(rate)) return;
    audio.playbackRate = rate;
    audio.defaultPlaybackRate = rate;
    speed.value = String(rate);
    if (remember) store(KEYS.speed, rate === 1 ? '' : String(rate));
  };
  const playFrom = (time: number) => {
    audio.currentTime = time;
    start();
    render();
  };
  const paragraph = (step: 1 | -1) => {
    const time = neighbourStart(paragraphs(), audio.currentTime, step);
    if (time !== undefined) playFrom(time);
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
  // A file that is gone (an old tab after the article changed) or a network fault: say so.
  audio.addEventListener('error', () => {
    say(CANNOT_LOAD);
    render();
  });
  audio.addEventListener('ended', () => {
    removeFromQueue(path);
    const next = nextInQueue(path);
    if (next) say('Next in your queue:', next);
  });
  setSpeed(Number(store(KEYS.speed)) || 1, false);

  // Keyboard: inside the player, K/space play or pause, J/L skip, N/P the next or previous
  // paragraph, < and > change the speed.
  root.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey || target.tagName === 'SELECT') return;
    const key = event.key;
    const at = SPEEDS.indexOf(audio.playbackRate);
    if (key === 'k' || key === 'K' || (key === ' ' && target === seek)) toggle();
    else if (key === 'j' || key === 'J') jump(-SKIP_SECONDS);
    else if (key === 'l' || key === 'L') jump(SKIP_SECONDS);
    else if (key === 'n' || key === 'N') paragraph(1);
    else if (key === 'p' || key === 'P') paragraph(-1);
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

  attachParagraphs(root, paragraphs, playFrom);
  attachQueue(root, path, root.dataset.title ?? document.title);

  const session = navigator.mediaSession;
  if (session && typeof MediaMetadata === 'function') {
    const artwork = root.dataset.artwork ? [{ src: root.dataset.artwork }] : [];
    session.metadata = new MediaMetadata({ title: root.dataset.title ?? document.title, artist: root.dataset.artist ?? '', artwork });
    const actions: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', start],
      ['pause', () => audio.pause()],
      ['seekbackward', () => jump(-SKIP_SECONDS)],
      ['seekforward', () => jump(SKIP_SECONDS)],
      ['seekto', (d) => d.seekTime !== undefined && jump(d.seekTime - audio.currentTime)],
      ['previoustrack', () => paragraph(-1)],
      ['nexttrack', () => paragraph(1)],
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
