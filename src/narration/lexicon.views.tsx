import { ErrorSummary, FieldError, Flash, type FormError } from '../newsroom/form.views.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import { PREVIEW_MAX } from './lexicon.preview.js';
import type { LexiconEntryRow } from './lexicon.table.js';

export interface EntryFormValues {
  term: string;
  respelling: string;
  caseSensitive: boolean;
  wholeWord: boolean;
}

export const EMPTY_ENTRY: EntryFormValues = { term: '', respelling: '', caseSensitive: false, wholeWord: true };

/** "Hear a sentence": posts the text and answers with the audio (a new tab plays it). */
export function PreviewForm(props: { csrf: string; articleId?: number; text?: string; error?: FormError; idPrefix?: string }) {
  const id = `${props.idPrefix ?? 'preview'}-text`;
  return (
    <form method="post" action="/admin/narration/preview" target="_blank" class="stack-form narration-preview" rel="noopener">
      <CsrfField token={props.csrf} />
      {props.articleId ? <input type="hidden" name="article_id" value={String(props.articleId)} /> : null}
      <label for={id}>Hear a sentence (up to {PREVIEW_MAX} characters), with the current voice and lexicon</label>
      <textarea
        id={id}
        name="text"
        rows={2}
        maxLength={PREVIEW_MAX}
        required
        aria-invalid={props.error?.field === 'text' ? 'true' : undefined}
      >
        {props.text ?? ''}
      </textarea>
      <FieldError error={props.error} field="text" />
      <button type="submit">Listen</button>
    </form>
  );
}

function EntryForm(props: { action: string; csrf: string; values: EntryFormValues; error?: FormError }) {
  const v = props.values;
  const invalidIf = (f: string) => (props.error?.field === f ? 'true' : undefined);
  return (
    <form method="post" action={props.action} class="stack-form lexicon-form">
      <CsrfField token={props.csrf} />
      <div class="field">
        <label for="f-term">Word or phrase, as written</label>
        <input id="f-term" name="term" value={v.term} maxLength={100} required aria-invalid={invalidIf('term')} />
        <FieldError error={props.error} field="term" />
      </div>
      <div class="field">
        <label for="f-respelling">Say it as</label>
        <input
          id="f-respelling"
          name="respelling"
          value={v.respelling}
          maxLength={200}
          required
          aria-invalid={invalidIf('respelling')}
          aria-describedby="respelling-hint"
        />
        <p class="hint" id="respelling-hint">
          Plain words the voice reads well, e.g. “Kyiv” → “keev”, “Okonkwo-Hale” → “oh konk woh hail”. Adding the same word again replaces
          it.
        </p>
        <FieldError error={props.error} field="respelling" />
      </div>
      <label>
        <input type="checkbox" name="case_sensitive" value="on" checked={v.caseSensitive} /> Match capitals exactly (“US” but not “us”)
      </label>
      <label>
        <input type="checkbox" name="whole_word" value="on" checked={v.wholeWord} /> Whole words only
      </label>
      <button type="submit" class="primary">
        Save pronunciation
      </button>
    </form>
  );
}

/** The site's lexicon (`scope` absent) or one article's overrides. */
export function LexiconPage(props: {
  siteName: string;
  actor: Actor;
  csrf: string;
  entries: LexiconEntryRow[];
  article?: { id: number; headline: string };
  values: EntryFormValues;
  importText?: string;
  /** The name of a refused upload's file, named again beside the upload field. */
  uploadName?: string;
  previewText?: string;
  error?: FormError;
  flash?: string;
}) {
  const base = props.article ? `/admin/articles/${props.article.id}/lexicon` : '/admin/narration/lexicon';
  const title = props.article ? `Pronunciations: ${props.article.headline}` : 'Pronunciation lexicon';
  return (
    <AdminLayout
      title={title}
      siteName={props.siteName}
      actor={props.actor}
      csrf={props.csrf}
      current={props.article ? '/admin/articles' : base}
    >
      <h1>{title}</h1>
      <p>
        {props.article
          ? 'Pronunciations for this article only; they take precedence over the site’s lexicon. '
          : 'How the narration says names and words, on every article. '}
        A change narrates again only the paragraphs that contain the word.
      </p>
      <Flash message={props.flash} />
      <ErrorSummary error={props.error} />
      <EntryForm
        action={base}
        csrf={props.csrf}
        values={props.values}
        error={props.error?.field === 'file' || props.error?.field === 'upload' ? undefined : props.error}
      />
      <h2>Entries ({props.entries.length})</h2>
      {props.entries.length === 0 ? (
        <p>No entries yet.</p>
      ) : (
        <table class="lexicon-table">
          <thead>
            <tr>
              <th scope="col">Written</th>
              <th scope="col">Said as</th>
              <th scope="col">Options</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr key={e.id}>
                <td>{e.term}</td>
                <td>{e.respelling}</td>
                <td>{[e.case_sensitive ? 'exact capitals' : '', e.whole_word ? '' : 'inside words'].filter(Boolean).join(', ') || '—'}</td>
                <td>
                  <form method="post" action={`${base}/${e.id}/delete`}>
                    <CsrfField token={props.csrf} />
                    <button type="submit" aria-label={`Delete ${e.term}`}>
                      Delete
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Preview</h2>
      <PreviewForm csrf={props.csrf} articleId={props.article?.id} text={props.previewText} error={props.error} />
      <h2>Import and export</h2>
      <p>
        <a href={`${base}.txt`} download={props.article ? `lexicon-article-${props.article.id}.txt` : 'lexicon.txt'}>
          Download the lexicon
        </a>{' '}
        (one <code>word = how to say it</code> a line; add <code>| case</code> for exact capitals, <code>| part</code> to match inside
        words).
      </p>
      <form method="post" action={`${base}/import`} class="stack-form">
        <CsrfField token={props.csrf} />
        <label for="f-file">Paste a lexicon file (the same format, or CSV: word,respelling)</label>
        <textarea
          id="f-file"
          name="file"
          rows={6}
          aria-invalid={props.error?.field === 'file' ? 'true' : undefined}
          aria-describedby={props.error?.field === 'file' ? 'file-error' : undefined}
        >
          {props.importText ?? ''}
        </textarea>
        <FieldError error={props.error} field="file" />
        <button type="submit">Import</button>
      </form>
      <form method="post" action={`${base}/upload`} enctype="multipart/form-data" class="stack-form lexicon-upload">
        <CsrfField token={props.csrf} />
        <label for="f-upload">Or upload a lexicon file (.txt or .csv, up to 256 KB)</label>
        <input
          id="f-upload"
          name="lexicon"
          type="file"
          accept=".txt,.csv,text/plain,text/csv"
          required
          aria-invalid={props.error?.field === 'upload' ? 'true' : undefined}
          aria-describedby={props.error?.field === 'upload' ? 'upload-error' : undefined}
        />
        {props.uploadName && props.error?.field === 'upload' ? (
          <p class="hint">
            Not imported: <code>{props.uploadName}</code>. Correct the file and choose it again.
          </p>
        ) : null}
        <FieldError error={props.error} field="upload" />
        <button type="submit">Upload and import</button>
      </form>
      {props.article ? (
        <p>
          <a href={`/admin/articles/${props.article.id}/edit`}>Back to the article</a> ·{' '}
          <a href="/admin/narration/lexicon">The site’s lexicon</a>
        </p>
      ) : null}
    </AdminLayout>
  );
}

/** The id of the preview form the editor's side panel points its fields at (it lives outside the article form). */
export const EDITOR_PREVIEW_FORM = 'narration-preview-form';

/**
 * In the article editor's side panel: hear a sentence as the narration would say it, and the
 * article's own pronunciations. Its fields belong to a form outside the article form
 * (`EditorPreviewForm`), so typing here never changes the article.
 */
export function EditorNarrationBox(props: { articleId: number | null; canEditLexicon: boolean }) {
  return (
    <section class="panel narration-box" aria-labelledby="narration-box-title">
      <h2 id="narration-box-title">Listen</h2>
      <label for="f-preview-text">Hear a sentence (up to {PREVIEW_MAX} characters)</label>
      <textarea id="f-preview-text" name="text" rows={2} maxLength={PREVIEW_MAX} form={EDITOR_PREVIEW_FORM} />
      <button type="submit" form={EDITOR_PREVIEW_FORM}>
        Listen
      </button>
      {props.articleId && props.canEditLexicon ? (
        <p>
          <a href={`/admin/articles/${props.articleId}/lexicon`}>Pronunciations for this article</a>
        </p>
      ) : null}
    </section>
  );
}

export function EditorPreviewForm(props: { csrf: string; articleId: number | null }) {
  return (
    <form id={EDITOR_PREVIEW_FORM} method="post" action="/admin/narration/preview" target="_blank" hidden rel="noopener">
      <CsrfField token={props.csrf} />
      {props.articleId ? <input type="hidden" name="article_id" value={String(props.articleId)} /> : null}
    </form>
  );
}
