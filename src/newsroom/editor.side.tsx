import { TRANSITIONS, type WorkflowAction } from '../articles/article.rules.js';
import type { ArticleStatus } from '../articles/article.table.js';
import { mediaUrl } from '../articles/article.urls.js';
import type { MediaView } from '../media/media.service.js';
import type { EditorValues } from './article.form.js';
import { FieldError, type FormError } from './form.views.js';

export function smallestJpeg(media: MediaView): string | undefined {
  const jpegs = media.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  return jpegs[0] ? mediaUrl(jpegs[0].path) : undefined;
}

/** Status, publication time and the buttons that save and move the article along the workflow. */
export function StatusBox(props: {
  status: ArticleStatus | null;
  values: EditorValues;
  actions: WorkflowAction[];
  canEdit: boolean;
  canSchedule: boolean;
  timeZone: string;
  error?: FormError;
  /** Where "Send as breaking news" posts (editors and administrators, published articles); absent: no button. */
  breakingHref?: string;
}) {
  const { status, values } = props;
  const saveLabel = status === null || status === 'draft' ? 'Save draft' : status === 'published' ? 'Update' : 'Save';
  return (
    <section class="panel status-box" aria-labelledby="status-title">
      <h2 id="status-title">
        Status: <span class={`status status-${status ?? 'draft'}`}>{(status ?? 'new draft').replace('_', ' ')}</span>
      </h2>
      <div class="field">
        <label for="f-published">
          Publication time <span class="hint">({props.timeZone})</span>
        </label>
        <input
          id="f-published"
          name="published"
          type="datetime-local"
          step={1}
          value={values.published}
          disabled={!props.canSchedule}
          aria-invalid={props.error?.field === 'published' ? 'true' : undefined}
          aria-describedby="published-hint"
        />
        <p class="hint" id="published-hint">
          {props.canSchedule ? 'Schedule publishes the article at this time by itself.' : 'Editors choose when an article goes live.'}
        </p>
        <FieldError error={props.error} field="published" />
      </div>
      <p class="save-status" data-save-status aria-live="polite" />
      <div class="actions">
        {props.canEdit ? (
          <button type="submit" name="action" value="save" class="primary">
            {saveLabel}
          </button>
        ) : null}
        {props.actions.map((a) => (
          <button type="submit" name="action" value={a} key={a} class={a === 'publish' || a === 'schedule' ? 'primary' : undefined}>
            {TRANSITIONS[a].label}
          </button>
        ))}
      </div>
      {props.breakingHref ? (
        <p class="breaking-send">
          <button type="submit" formAction={props.breakingHref} formNoValidate>
            Send as breaking news…
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** Hero image: chosen from the media library (or uploaded in place when scripts run), with its alt text, caption and credit. */
export function HeroBox(props: {
  values: EditorValues;
  hero: MediaView | null;
  articleId: number | null;
  disabled: boolean;
  error?: FormError;
}) {
  const { values, hero } = props;
  const thumb = hero ? smallestJpeg(hero) : undefined;
  const invalidIf = (f: string) => (props.error?.field === f ? 'true' : undefined);
  return (
    <fieldset class="panel hero-box" data-hero disabled={props.disabled}>
      <legend>Hero image</legend>
      <input type="hidden" name="hero_media_id" value={values.heroMediaId} data-hero-id />
      <div class="hero-preview">
        {/* No image element until there is an image: an empty src is invalid and still fetched by some browsers. */}
        {thumb ? <img src={thumb} alt="" data-hero-img width={240} /> : null}
        <p class="hint" data-hero-empty hidden={!!thumb}>
          No hero image.
        </p>
      </div>
      <FieldError error={props.error} field="hero" />
      <div class="hero-controls">
        <label class="button-like" data-hero-upload-label hidden>
          Upload image…
          <input type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" data-hero-file class="visually-hidden" />
        </label>
        <button type="button" data-hero-pick hidden>
          Choose from library…
        </button>
        <button type="button" data-hero-remove hidden={!thumb}>
          Remove image
        </button>
        {props.articleId ? (
          <a href={`/admin/media?for=${props.articleId}`} data-hero-nojs>
            Media library
          </a>
        ) : null}
      </div>
      <p class="hint" data-hero-message aria-live="polite" />
      <div class="field">
        <label for="f-hero_alt">
          Alt text <span class="hint">(required to publish with an image)</span>
        </label>
        <input id="f-hero_alt" name="hero_alt" value={values.heroAlt} maxLength={500} aria-invalid={invalidIf('hero_alt')} />
        <FieldError error={props.error} field="hero_alt" />
      </div>
      <div class="field">
        <label for="f-hero_caption">Caption</label>
        <input id="f-hero_caption" name="hero_caption" value={values.heroCaption} maxLength={1000} />
      </div>
      <div class="field">
        <label for="f-hero_credit">Credit</label>
        <input id="f-hero_credit" name="hero_credit" value={values.heroCredit} maxLength={300} />
      </div>
      <dialog class="library-dialog" data-library aria-labelledby="library-title">
        <h2 id="library-title">Choose an image</h2>
        <div class="library-grid" data-library-grid />
        <button type="button" data-library-close>
          Close
        </button>
      </dialog>
    </fieldset>
  );
}
