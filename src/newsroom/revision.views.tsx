import { canEdit } from '../articles/article.rules.js';
import type { ArticleRow } from '../articles/article.table.js';
import type { FieldDiff } from '../revisions/revision.diff.js';
import type { Revision } from '../revisions/revision.service.js';
import type { SiteSettings } from '../settings/settings.service.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { formatDateTime } from '../web/format.js';
import { Flash } from './form.views.js';

interface Common {
  siteName: string;
  actor: Actor;
  csrf: string;
  settings: SiteSettings;
  article: ArticleRow;
}

function Back(props: { article: ArticleRow }) {
  return (
    <p>
      <a href={`/admin/articles/${props.article.id}/edit`}>← Back to “{props.article.headline || 'Untitled'}”</a>
    </p>
  );
}

/** Every revision of an article, newest first: pick two to compare, or restore one. */
export function RevisionListPage(props: Common & { revisions: Revision[]; restored: boolean }) {
  const { revisions, article, settings } = props;
  const editable = canEdit(props.actor, article);
  return (
    <AdminLayout title="Revisions" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/articles">
      <Back article={article} />
      <h1>Revisions</h1>
      <Flash message={props.restored ? 'Revision restored as a new revision.' : undefined} />
      {revisions.length === 0 ? (
        <p class="empty">No revisions yet: one is kept at every save.</p>
      ) : (
        <>
          <form method="get" action={`/admin/articles/${article.id}/revisions/diff`} id="compare" class="compare-form">
            <p class="hint">Choose an older and a newer revision, then compare.</p>
            <button type="submit">Compare selected</button>
          </form>
          <div class="table-wrap">
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Older</th>
                  <th scope="col">Newer</th>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Headline</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {revisions.map((r, i) => (
                  <tr key={r.id}>
                    <td>{r.number}</td>
                    <td>
                      <input
                        type="radio"
                        name="from"
                        value={String(r.number)}
                        form="compare"
                        checked={i === 1 || (revisions.length === 1 && i === 0)}
                        aria-label={`Compare from revision ${r.number}`}
                      />
                    </td>
                    <td>
                      <input
                        type="radio"
                        name="to"
                        value={String(r.number)}
                        form="compare"
                        checked={i === 0}
                        aria-label={`Compare to revision ${r.number}`}
                      />
                    </td>
                    <td>
                      <time datetime={r.createdAt}>{formatDateTime(r.createdAt, settings)}</time>
                    </td>
                    <td>{r.actorName}</td>
                    <td>{r.note}</td>
                    <td>{r.snapshot.headline || 'Untitled'}</td>
                    <td>
                      {editable && i > 0 ? (
                        <form method="post" action={`/admin/articles/${article.id}/revisions/${r.number}/restore`}>
                          <CsrfField token={props.csrf} />
                          <button type="submit">Restore</button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AdminLayout>
  );
}

/** What changed between two revisions, field by field, with removed and added words marked. */
export function RevisionDiffPage(props: Common & { from: Revision; to: Revision; changes: FieldDiff[] }) {
  const { from, to, settings, article } = props;
  return (
    <AdminLayout title="Compare revisions" siteName={props.siteName} actor={props.actor} csrf={props.csrf} current="/admin/articles">
      <p>
        <a href={`/admin/articles/${article.id}/revisions`}>← All revisions</a>
      </p>
      <h1>
        Revision {from.number} → {to.number}
      </h1>
      <p class="hint">
        {from.number}: {formatDateTime(from.createdAt, settings)} by {from.actorName} ({from.note}) · {to.number}:{' '}
        {formatDateTime(to.createdAt, settings)} by {to.actorName} ({to.note})
      </p>
      <p class="hint diff-legend">
        <del>Removed</del> <ins>Added</ins>
      </p>
      {props.changes.length === 0 ? <p class="empty">No differences.</p> : null}
      {props.changes.map((c) => (
        <section class="diff-field" key={c.label}>
          <h2>{c.label}</h2>
          <div class="diff">
            {c.parts.map((p, i) =>
              p.kind === 'added' ? (
                <ins key={i}>{p.text}</ins>
              ) : p.kind === 'removed' ? (
                <del key={i}>{p.text}</del>
              ) : (
                <span key={i}>{p.text}</span>
              ),
            )}
          </div>
        </section>
      ))}
    </AdminLayout>
  );
}
