import type { MediaView } from '../media/media.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { smallestJpeg } from './editor.side.js';
import { ErrorSummary, FieldError, Flash, type FormError } from './form.views.js';
import { SITE_IMAGE_SETTINGS, type SiteImageKind, type SiteSettingsForm } from './site-settings.js';

/** Site name, description, public address, logo, locale, time zone and reading speed. */
export function SettingsPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  values: SiteSettingsForm;
  logo: MediaView | null;
  /** The podcast artwork and site image as served now, and whether they were uploaded (else drawn). */
  images: Record<SiteImageKind['action'], { src: string; uploaded: boolean }>;
  zones: string[];
  error?: FormError;
  flash?: string;
}) {
  const { values, error } = props;
  const bad = (f: string) => (error?.field === f ? 'true' : undefined);
  const logo = props.logo ? smallestJpeg(props.logo) : undefined;
  return (
    <AdminLayout title="Settings" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/settings">
      <h1>Site settings</h1>
      <p>
        Comment policy (moderation, links, rate limits, closing): <a href="/admin/comments/settings">comment settings</a>.
      </p>
      <Flash message={props.flash} />
      <ErrorSummary error={error} />
      <form method="post" action="/admin/settings" class="panel stack-form">
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for="f-siteName">Site name</label>
          <input id="f-siteName" name="siteName" value={values.siteName} maxLength={100} required aria-invalid={bad('siteName')} />
          <FieldError error={error} field="siteName" />
        </div>
        <div class="field">
          <label for="f-siteDescription">Description</label>
          <input
            id="f-siteDescription"
            name="siteDescription"
            value={values.siteDescription}
            maxLength={300}
            aria-invalid={bad('siteDescription')}
          />
          <FieldError error={error} field="siteDescription" />
        </div>
        <div class="field">
          <label for="f-siteUrl">
            Public address <span class="hint">(e.g. https://news.example.org; empty: as requested)</span>
          </label>
          <input id="f-siteUrl" name="siteUrl" value={values.siteUrl} aria-invalid={bad('siteUrl')} />
          <FieldError error={error} field="siteUrl" />
        </div>
        <div class="field">
          <label for="f-locale">
            Locale <span class="hint">(dates and numbers, e.g. en-US, en-GB)</span>
          </label>
          <input id="f-locale" name="locale" value={values.locale} aria-invalid={bad('locale')} />
          <FieldError error={error} field="locale" />
        </div>
        <div class="field">
          <label for="f-timeZone">Time zone</label>
          <input id="f-timeZone" name="timeZone" value={values.timeZone} list="zones" aria-invalid={bad('timeZone')} />
          <datalist id="zones">
            {props.zones.map((z) => (
              <option value={z} key={z} />
            ))}
          </datalist>
          <FieldError error={error} field="timeZone" />
        </div>
        <div class="field">
          <label for="f-wordsPerMinute">Reading speed (words per minute)</label>
          <input
            id="f-wordsPerMinute"
            name="wordsPerMinute"
            type="number"
            min={50}
            max={1000}
            value={values.wordsPerMinute}
            aria-invalid={bad('wordsPerMinute')}
          />
          <FieldError error={error} field="wordsPerMinute" />
        </div>
        <div class="field">
          <label for="f-podcastOwnerEmail">
            Podcast owner e-mail <span class="hint">(shown to podcast directories in the feeds; empty: none)</span>
          </label>
          <input
            id="f-podcastOwnerEmail"
            name="podcastOwnerEmail"
            type="email"
            value={values.podcastOwnerEmail}
            maxLength={254}
            aria-invalid={bad('podcastOwnerEmail')}
          />
          <FieldError error={error} field="podcastOwnerEmail" />
        </div>
        <div class="field">
          <label for="f-websubHub">
            WebSub hub <span class="hint">(feeds name it and Gazette tells it when they change; empty: none)</span>
          </label>
          <input
            id="f-websubHub"
            name="websubHub"
            type="url"
            value={values.websubHub}
            maxLength={2000}
            placeholder="https://pubsubhubbub.appspot.com/"
            aria-invalid={bad('websubHub')}
          />
          <FieldError error={error} field="websubHub" />
        </div>
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
      <section class="panel" aria-labelledby="logo-title">
        <h2 id="logo-title">Logo</h2>
        {logo ? <img src={logo} alt="Current logo" width={200} /> : <p class="hint">No logo: the site name is shown.</p>}
        <form method="post" action="/admin/settings/logo" enctype="multipart/form-data" class="inline-form">
          <CsrfField token={props.csrf} />
          <div class="field">
            <label for="f-logo">Upload a logo</label>
            <input id="f-logo" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" required />
          </div>
          <input type="hidden" name="alt" value="Logo" />
          <button type="submit">Upload logo</button>
        </form>
        {logo ? (
          <form method="post" action="/admin/settings/logo/remove">
            <CsrfField token={props.csrf} />
            <button type="submit">Remove the logo</button>
          </form>
        ) : null}
      </section>
      {SITE_IMAGE_SETTINGS.map((kind) => (
        <ImagePanel key={kind.action} kind={kind} current={props.images[kind.action]} csrf={props.csrf} />
      ))}
    </AdminLayout>
  );
}

/** Upload or remove one of the site's images (podcast artwork, site image); without an upload a drawing of the site name is used. */
function ImagePanel(props: { kind: SiteImageKind; current: { src: string; uploaded: boolean }; csrf: string }) {
  const { kind, current } = props;
  const id = `f-${kind.action}`;
  return (
    <section class="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{kind.title}</h2>
      <p class="hint">{kind.hint}</p>
      <img src={current.src} alt={`Current ${kind.title.toLowerCase()}`} width={kind.previewWidth} />
      <p class="hint">{current.uploaded ? 'Uploaded.' : 'Drawn from the site name (or the logo): upload an image to replace it.'}</p>
      <form method="post" action={`/admin/settings/${kind.action}`} enctype="multipart/form-data" class="inline-form">
        <CsrfField token={props.csrf} />
        <div class="field">
          <label for={id}>Upload {kind.title.toLowerCase()}</label>
          <input id={id} name="file" type="file" accept="image/jpeg,image/png,image/webp,image/avif" required />
        </div>
        <button type="submit">Upload {kind.title.toLowerCase()}</button>
      </form>
      {current.uploaded ? (
        <form method="post" action={`/admin/settings/${kind.action}/remove`}>
          <CsrfField token={props.csrf} />
          <button type="submit">Remove the uploaded {kind.title.toLowerCase()}</button>
        </form>
      ) : null}
    </section>
  );
}
