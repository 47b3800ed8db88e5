import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { smallestJpeg } from './editor.side.js';
import { ErrorSummary, FieldError, Flash, type FormError } from './form.views.js';
import { LIBRARY_PAGE, type LibraryItem, type MediaMeta } from './library.service.js';

const kb = (bytes: number) => (bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Upload form, then a grid of every image with its alt text and credit; pick one as a hero, edit, or delete if unused. */
export function LibraryPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  items: LibraryItem[];
  total: number;
  page: number;
  /** Picking a hero for this article. */
  forArticle: number | null;
  canDelete: boolean;
  typed?: MediaMeta;
  error?: FormError;
  flash?: string;
}) {
  const { items, forArticle, error } = props;
  const pages = Math.max(1, Math.ceil(props.total / LIBRARY_PAGE));
  const typed = props.typed ?? { alt: '', caption: '', credit: '' };
  const self = (page: number) => `/admin/media?${forArticle ? `for=${forArticle}&` : ''}page=${page}`;
  return (
    <AdminLayout title="Media library" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/media">
      <h1>Media library</h1>
      {forArticle ? (
        <p class="notice">
          Choose the hero image of the article, or upload a new one. <a href={`/admin/articles/${forArticle}/edit`}>Back to the editor</a>
        </p>
      ) : null}
      <Flash message={props.flash} />
      <ErrorSummary error={error} />
      <form
        method="post"
        action={`/admin/media${forArticle ? `?for=${forArticle}` : ''}`}
        enctype="multipart/form-data"
        class="panel upload-form"
      >
        <CsrfField token={props.csrf} />
        <h2>Upload an image</h2>
        <p class="hint">JPEG, PNG, WebP, AVIF or GIF, up to 20 MB. Camera and location data are removed.</p>
        <div class="field">
          <label for="f-file">Image file</label>
          <input
            id="f-file"
            name="file"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
            required
            aria-invalid={error?.field === 'file' ? 'true' : undefined}
          />
          <FieldError error={error} field="file" />
        </div>
        <div class="field">
          <label for="f-alt">Alt text</label>
          <input id="f-alt" name="alt" value={typed.alt} maxLength={500} />
          <FieldError error={error} field="alt" />
        </div>
        <div class="field">
          <label for="f-caption">Caption</label>
          <input id="f-caption" name="caption" value={typed.caption} maxLength={1000} />
        </div>
        <div class="field">
          <label for="f-credit">Credit</label>
          <input id="f-credit" name="credit" value={typed.credit} maxLength={300} />
        </div>
        <button type="submit" class="primary">
          Upload
        </button>
      </form>
      <h2>
        {props.total} {props.total === 1 ? 'image' : 'images'}
      </h2>
      <ul class="library-grid">
        {items.map((m) => (
          <li class="library-item" key={m.id}>
            <img src={smallestJpeg(m) ?? ''} alt={m.alt} width={240} height={Math.round((240 * m.height) / m.width)} loading="lazy" />
            <p class="hint">
              #{m.id} · {m.width}×{m.height} · {kb(m.bytes)} · {m.uses ? `used ${m.uses}×` : 'unused'}
            </p>
            {forArticle ? (
              <form method="post" action={`/admin/articles/${forArticle}/hero`}>
                <CsrfField token={props.csrf} />
                <input type="hidden" name="media_id" value={String(m.id)} />
                <button type="submit" class="primary">
                  Use as hero
                </button>
              </form>
            ) : null}
            <details>
              <summary>Details</summary>
              <form method="post" action={`/admin/media/${m.id}`} class="stack-form">
                <CsrfField token={props.csrf} />
                <div class="field">
                  <label for={`alt-${m.id}`}>Alt text</label>
                  <input id={`alt-${m.id}`} name="alt" value={m.alt} maxLength={500} />
                </div>
                <div class="field">
                  <label for={`caption-${m.id}`}>Caption</label>
                  <input id={`caption-${m.id}`} name="caption" value={m.caption} maxLength={1000} />
                </div>
                <div class="field">
                  <label for={`credit-${m.id}`}>Credit</label>
                  <input id={`credit-${m.id}`} name="credit" value={m.credit} maxLength={300} />
                </div>
                <button type="submit">Save details</button>
              </form>
              {props.canDelete && m.uses === 0 ? (
                <form method="post" action={`/admin/media/${m.id}/delete`}>
                  <CsrfField token={props.csrf} />
                  <button type="submit" class="danger">
                    Delete image
                  </button>
                </form>
              ) : null}
            </details>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav class="pagination" aria-label="Pages">
          {props.page > 1 ? <a href={self(props.page - 1)}>← Newer</a> : <span />}
          <span>
            Page {props.page} of {pages}
          </span>
          {props.page < pages ? <a href={self(props.page + 1)}>Older →</a> : <span />}
        </nav>
      ) : null}
    </AdminLayout>
  );
}
