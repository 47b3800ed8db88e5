import type { Section } from '../sections/section.table.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { ErrorSummary, Flash, type FormError } from './form.views.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  error?: FormError;
  flash?: string;
}

function SectionFields(props: { s?: Partial<Section>; idp: string }) {
  const { s, idp } = props;
  return (
    <>
      <div class="field">
        <label for={`${idp}-name`}>Name</label>
        <input id={`${idp}-name`} name="name" value={s?.name ?? ''} required maxLength={80} />
      </div>
      <div class="field">
        <label for={`${idp}-slug`}>Slug</label>
        <input id={`${idp}-slug`} name="slug" value={s?.slug ?? ''} maxLength={120} pattern="[a-z0-9]+(-[a-z0-9]+)*" />
      </div>
      <div class="field">
        <label for={`${idp}-description`}>Description</label>
        <input id={`${idp}-description`} name="description" value={s?.description ?? ''} maxLength={500} />
      </div>
      <div class="field">
        <label for={`${idp}-position`}>Order</label>
        <input
          id={`${idp}-position`}
          name="position"
          type="number"
          min={0}
          max={10000}
          value={String(s?.position ?? 0)}
          inputMode="numeric"
        />
      </div>
    </>
  );
}

/** Sections: name, address, description and their order in the navigation. */
export function SectionsPage(props: Common & { sections: Section[]; typed?: Partial<Section> }) {
  return (
    <AdminLayout title="Sections" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/sections">
      <h1>Sections</h1>
      <p class="hint">
        The navigation lists sections by order, then name. Changing a slug changes the address of the section and its articles.
      </p>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      {props.sections.map((s) => (
        <form method="post" action={`/admin/sections/${s.id}`} class="panel inline-form" key={s.id} aria-label={`Section ${s.name}`}>
          <CsrfField token={props.csrf} />
          <SectionFields s={s} idp={`s${s.id}`} />
          <button type="submit">Save</button>
        </form>
      ))}
      <form method="post" action="/admin/sections" class="panel inline-form" aria-labelledby="new-section">
        <h2 id="new-section">New section</h2>
        <CsrfField token={props.csrf} />
        <SectionFields s={props.typed ?? { position: props.sections.length + 1 }} idp="new" />
        <button type="submit" class="primary">
          Add section
        </button>
      </form>
    </AdminLayout>
  );
}

/** Tags: rename, or merge one into another. */
/** What an editor typed in one tag's row, shown again when it was refused. */
export interface TypedTag {
  id: number;
  name?: string;
  target?: string;
}

export function TagsPage(props: Common & { tags: { id: number; name: string; slug: string; articles: number }[]; typed?: TypedTag }) {
  return (
    <AdminLayout title="Tags" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/tags">
      <h1>Tags</h1>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      {props.tags.length === 0 ? <p class="empty">No tags yet: they are created from the article editor.</p> : null}
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Articles</th>
              <th scope="col">Rename</th>
              <th scope="col">Merge into</th>
            </tr>
          </thead>
          <tbody>
            {props.tags.map((t) => (
              <tr key={t.id}>
                <td>
                  <a href={`/tag/${t.slug}`}>{t.name}</a>
                </td>
                <td>{t.articles}</td>
                <td>
                  <form method="post" action={`/admin/tags/${t.id}`} class="inline-form">
                    <CsrfField token={props.csrf} />
                    <label class="visually-hidden" for={`tag-${t.id}`}>
                      New name for {t.name}
                    </label>
                    <input
                      id={`tag-${t.id}`}
                      name="name"
                      value={props.typed?.id === t.id && props.typed.name !== undefined ? props.typed.name : t.name}
                      maxLength={80}
                      required
                    />
                    <button type="submit">Rename</button>
                  </form>
                </td>
                <td>
                  <form method="post" action={`/admin/tags/${t.id}/merge`} class="inline-form">
                    <CsrfField token={props.csrf} />
                    <label class="visually-hidden" for={`merge-${t.id}`}>
                      Merge {t.name} into
                    </label>
                    {/* One list of names for every row: a menu per row grew with the square of the tags. */}
                    <input
                      id={`merge-${t.id}`}
                      name="target"
                      list="tag-names"
                      value={props.typed?.id === t.id ? props.typed.target : undefined}
                      maxLength={80}
                      autocomplete="off"
                      required
                    />
                    <button type="submit">Merge</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <datalist id="tag-names">
          {props.tags.map((t) => (
            <option value={t.name} key={t.id} />
          ))}
        </datalist>
      </div>
    </AdminLayout>
  );
}
