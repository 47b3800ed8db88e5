import type { ArticleView } from '../articles/article.repo.js';
import { mediaUrl } from '../articles/article.urls.js';
import type { NarrationView } from './narration.service.js';

/** 192000 → "3:12"; an hour or more → "1:02:03". Whole seconds are cut, as the player's clock does. */
export function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** JSON inside a <script> data block: "<" escaped so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const SPEEDS = ['0.75', '1', '1.25', '1.5', '2'];

/**
 * "Listen to this article" with the real duration. Without JavaScript it is a native audio
 * element; where scripts run, the stylesheet shows the enhanced controls in its place from the
 * first paint (`@media (scripting: …)`), so enhancing changes nothing on screen and lays nothing
 * out again.
 */
export function ListenPlayer(props: { narration: NarrationView; article: Pick<ArticleView, 'headline' | 'hero'>; siteName: string }) {
  const n = props.narration;
  // The lock screen / media notification shows a small square-ish image: the smallest JPEG will do.
  const jpegs = (props.article.hero?.variants ?? []).filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  const duration = clock(n.durationMs);
  const megabytes = (n.bytes / 1_000_000).toFixed(1);
  return (
    <section
      class="listen"
      aria-labelledby="listen-title"
      data-player
      data-title={props.article.headline}
      data-artist={props.siteName}
      data-artwork={jpegs[0] ? mediaUrl(jpegs[0].path) : undefined}
      data-duration={String(n.durationMs / 1000)}
      data-file={n.file}
    >
      <h2 class="listen-title" id="listen-title">
        Listen to this article <span class="listen-duration">{duration} min</span>
      </h2>
      <div class="listen-box">
        {/* biome-ignore lint/a11y/useMediaCaption: the article text on the page is the transcript of this audio. */}
        <audio class="listen-native" controls preload="none" src={n.url} data-player-audio>
          <a href={n.url}>Download the audio (MP3)</a>
        </audio>
        <div class="player" data-player-ui>
          <button type="button" class="player-play" data-player-play aria-pressed="false" aria-label="Play">
            <span class="player-icon" aria-hidden="true" />
          </button>
          <button type="button" class="player-skip" data-player-skip="-15" aria-label="Back 15 seconds" aria-keyshortcuts="J">
            −15
          </button>
          <input
            type="range"
            class="player-seek"
            data-player-seek
            min="0"
            max={String(Math.ceil(n.durationMs / 1000))}
            step="1"
            value="0"
            aria-label="Position"
            aria-valuetext={`0:00 of ${duration}`}
          />
          <button type="button" class="player-skip" data-player-skip="15" aria-label="Forward 15 seconds" aria-keyshortcuts="L">
            +15
          </button>
          <span class="player-time" data-player-time>
            <span data-player-elapsed>0:00</span> / <span>{duration}</span>
          </span>
          <label class="player-speed">
            <span class="visually-hidden">Speed</span>
            <select data-player-speed>
              {SPEEDS.map((s) => (
                <option key={s} value={s} selected={s === '1'}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
        </div>
        {/* Shown once the player is enhanced; its room is kept from the first paint, so nothing moves. */}
        <div class="listen-more">
          <button type="button" class="listen-later" data-player-later aria-pressed="false">
            Listen later
          </button>
          <details class="listen-queue">
            <summary>
              Your queue (<span data-player-queue-count>0</span>)
            </summary>
            <ol data-player-queue-list />
          </details>
          <label class="listen-from">
            Listen from{' '}
            <select data-player-from aria-keyshortcuts="N P">
              <option value="">the paragraph…</option>
            </select>
          </label>
        </div>
        <p class="listen-status" data-player-status role="status" hidden />
        <a class="listen-download" href={n.url} download>
          Download<span class="visually-hidden"> the audio</span> <span class="listen-size">(MP3, {megabytes} MB)</span>
        </a>
        <a class="listen-podcast" href="/podcast.xml" type="application/rss+xml">
          Podcast feed
        </a>
      </div>
      <script type="application/json" data-player-timings dangerouslySetInnerHTML={{ __html: scriptJson(n.timings) }} />
    </section>
  );
}
