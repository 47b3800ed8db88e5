import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import type { EngineInfo } from './engine.types.js';
import type { NarrationStatusView } from './narration.service.js';
import { clock } from './narration.views.js';

const LABELS: Record<NarrationStatusView['status'], string> = {
  none: 'Not narrated',
  queued: 'Queued',
  running: 'Being narrated',
  ready: 'Ready',
  failed: 'Failed',
  off: 'Off (not published, or narration is switched off)',
};

export function NarrationPanel(props: { articleId: number; status: NarrationStatusView; csrf: string; canNarrate: boolean }) {
  const s = props.status;
  return (
    <section class="narration-panel" aria-labelledby="narration-title">
      <h2 id="narration-title">Narration</h2>
      <dl>
        <dt>Status</dt>
        <dd data-narration-status={s.status}>{LABELS[s.status]}</dd>
        {s.durationMs !== null ? (
          <>
            <dt>Duration</dt>
            <dd>{clock(s.durationMs)} min</dd>
          </>
        ) : null}
        {s.voice ? (
          <>
            <dt>Voice</dt>
            <dd>
              {s.engine} / {s.voice}
            </dd>
          </>
        ) : null}
        {s.error ? (
          <>
            <dt>Last error</dt>
            <dd class="narration-error">{s.error}</dd>
          </>
        ) : null}
      </dl>
      {s.url ? (
        <p>
          {/* biome-ignore lint/a11y/useMediaCaption: the article text is the transcript of this audio. */}
          <audio controls preload="none" src={s.url}>
            <a href={s.url}>Listen</a>
          </audio>
        </p>
      ) : null}
      {props.canNarrate ? (
        <form method="post" action={`/admin/articles/${props.articleId}/narration`}>
          <CsrfField token={props.csrf} />
          <button type="submit">Narrate again</button>
        </form>
      ) : null}
    </section>
  );
}

export function NarrationPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  articleId: number;
  headline: string;
  status: NarrationStatusView;
  flash?: string;
}) {
  return (
    <AdminLayout
      title={`Narration: ${props.headline}`}
      siteName={props.siteName}
      actor={props.actor}
      csrf={props.csrf}
      current="/admin/articles"
    >
      <h1>{props.headline}</h1>
      {props.flash ? <p role="status">{props.flash}</p> : null}
      <NarrationPanel
        articleId={props.articleId}
        status={props.status}
        csrf={props.csrf}
        canNarrate={props.actor.role === 'editor' || props.actor.role === 'admin'}
      />
      <p>
        <a href={`/admin/articles/${props.articleId}`}>Back to the article</a>
      </p>
    </AdminLayout>
  );
}

export function NarrationSettingsPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  values: { enabled: boolean; engine: string; voice: string; rate: number };
  engines: EngineInfo[];
  error?: { message: string; field?: string };
  flash?: string;
}) {
  const v = props.values;
  return (
    <AdminLayout title="Narration settings" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/settings">
      <h1>Narration settings</h1>
      {props.flash ? <p role="status">{props.flash}</p> : null}
      {props.error ? (
        <p role="alert" class="form-error">
          {props.error.message}
        </p>
      ) : null}
      <form method="post" action="/admin/narration" class="narration-settings">
        <CsrfField token={props.csrf} />
        <p>
          <label>
            <input type="checkbox" name="enabled" value="on" checked={v.enabled} /> Narrate published articles
          </label>
        </p>
        <p>
          <label for="narration-voice">Voice</label>
          <select id="narration-voice" name="voice">
            {props.engines
              .filter((e) => e.available)
              .flatMap((e) =>
                e.voices.map((voice) => (
                  <option key={`${e.id}/${voice}`} value={`${e.id}/${voice}`} selected={e.id === v.engine && voice === v.voice}>
                    {e.id} — {voice}
                  </option>
                )),
              )}
          </select>
        </p>
        <p>
          <label for="narration-rate">Speaking rate (0.5–2)</label>
          <input id="narration-rate" name="rate" type="number" min="0.5" max="2" step="0.05" value={String(v.rate)} />
        </p>
        <p>
          <button type="submit">Save</button>
        </p>
      </form>
    </AdminLayout>
  );
}
