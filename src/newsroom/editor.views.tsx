import type { WorkflowAction } from '../articles/article.rules.js';
import type { ArticleStatus } from '../articles/article.table.js';
import type { Correction } from '../articles/correction.service.js';
import type { MediaView } from '../media/media.service.js';
import { EditorNarrationBox, EditorPreviewForm } from '../narration/lexicon.views.js';
import type { Section } from '../sections/section.table.js';
import { readingMinutes } from '../text/reading.js';
import type { Actor } from '../users/user.table.js';
import { AdminLayout, CsrfField } from '../web/admin-layout.js';
import type { EditorValues } from './article.form.js';
import { CorrectionsPanel } from './correction.panel.js';
import { HeroBox, StatusBox } from './editor.side.js';
import { ErrorSummary, FieldError, Flash, type FormError } from './form.views.js';

export interface EditorProps {
  siteName: string;
  actor: Actor;
  csrf: string;
  timeZone: string;
  wordsPerMinute: number;
  /** The stored article; null for a new one. */
  article: { id: number; status: ArticleStatus; url: string; everPublished: boolean } | null;
  values: EditorValues;
  wordCount: number;
  sections: Section[];
  people: string[];
  tags: string[];
  hero: MediaView | null;
  actions: WorkflowAction[];
  canEdit: boolean;
  canSchedule: boolean;
  corrections: Correction[];
  canCorrect: boolean;
  error?: FormError;
  flash?: string;
}

export function EditorPage(p: EditorProps) {
  const { values, article, error } = p;
  const invalidIf = (f: string) => (error?.field === f ? 'true' : undefined);
  const action = article ? `/admin/articles/${article.id}` : '/admin/articles';
  const autosave = p.canEdit && (!article || article.status === 'draft' || article.status === 'in_review');
  const title = article ? `Edit: ${values.headline || 'Untitled'}` : 'New article';
  return (
    <AdminLayout title={title} siteName={p.siteName} actor={p.actor} csrf={p.csrf} current="/admin/articles" scripts={['newsroom.js']}>
      <div class="editor-head">
        <h1>{article ? 'Edit article' : 'New article'}</h1>
        {/* A new article gets its links from the script once autosave has stored it. */}
        <p class="editor-links" data-editor-links hidden={!article}>
          <a href={article ? `/admin/articles/${article.id}/preview` : '#'} data-link="preview">
            Preview page
          </a>
          <a href={article ? `/admin/articles/${article.id}/revisions` : '#'} data-link="revisions">
            Revisions
          </a>
          {article?.status === 'published' ? <a href={`/admin/articles/${article.id}/narration`}>Narration</a> : null}
          {article?.status === 'published' ? <a href={article.url}>View on site</a> : null}
          {article?.status === 'published' ? <a href={`/admin/analytics/articles/${article.id}`}>Analytics</a> : null}
        </p>
      </div>
      <Flash message={p.flash} />
      <ErrorSummary error={error} />
      <form
        method="post"
        action={action}
        class="editor"
        data-editor
        data-autosave={autosave ? 'on' : 'off'}
        data-preview-url="/admin/articles/preview"
        data-upload-url="/admin/media"
        data-library-url="/admin/media?format=json"
        data-wpm={p.wordsPerMinute}
      >
        <CsrfField token={p.csrf} />
        <input type="hidden" name="version" value={values.version} data-version />
        <fieldset class="editor-main" disabled={!p.canEdit}>
          <legend class="visually-hidden">Article</legend>
          <div class="field">
            <label for="f-headline">Headline</label>
            <input
              id="f-headline"
              name="headline"
              value={values.headline}
              maxLength={300}
              class="headline-input"
              data-headline
              aria-invalid={invalidIf('headline')}
            />
            <FieldError error={error} field="headline" />
          </div>
          <div class="field">
            <label for="f-standfirst">Standfirst</label>
            <textarea id="f-standfirst" name="standfirst" rows={2} maxLength={1000} aria-invalid={invalidIf('standfirst')}>
              {values.standfirst}
            </textarea>
            <FieldError error={error} field="standfirst" />
          </div>
          <div class="field">
            <label for="f-slug">
              Slug <span class="hint">(the last part of the address; empty: made from the headline)</span>
            </label>
            <input
              id="f-slug"
              name="slug"
              value={values.slug}
              maxLength={120}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              data-slug
              data-locked={article?.everPublished || values.slug ? 'yes' : 'no'}
              aria-invalid={invalidIf('slug')}
            />
            <FieldError error={error} field="slug" />
          </div>
          <div class="body-split">
            <div class="field body-field">
              <label for="f-body">Body (Markdown)</label>
              <textarea id="f-body" name="body" rows={24} data-body aria-invalid={invalidIf('body')} aria-describedby="wordcount">
                {values.body}
              </textarea>
              <FieldError error={error} field="body" />
              <p class="hint" id="wordcount" data-wordcount>
                {p.wordCount} words · {readingMinutes(p.wordCount, p.wordsPerMinute)} min read
              </p>
            </div>
            <section class="preview-pane" aria-labelledby="preview-title">
              <h2 id="preview-title" class="preview-title">
                Preview
              </h2>
              <div class="article">
                <div class="article-body" data-preview>
                  <p class="hint">The preview appears here as you type (it needs JavaScript; use “Preview page” otherwise).</p>
                </div>
              </div>
            </section>
          </div>
        </fieldset>
        <div class="editor-side">
          <StatusBox
            status={article?.status ?? null}
            values={values}
            actions={p.actions}
            canEdit={p.canEdit}
            canSchedule={p.canSchedule}
            timeZone={p.timeZone}
            error={error}
            breakingHref={
              article?.status === 'published' && (p.actor.role === 'editor' || p.actor.role === 'admin')
                ? `/admin/newsletters/breaking/${article.id}`
                : undefined
            }
          />
          <fieldset class="panel" disabled={!p.canEdit}>
            <legend>Filing</legend>
            <div class="field">
              <label for="f-section">Section</label>
              <select id="f-section" name="section" aria-invalid={invalidIf('section')}>
                {p.sections.map((s) => (
                  <option value={String(s.id)} selected={values.section === String(s.id)} key={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              <FieldError error={error} field="section" />
            </div>
            <div class="field">
              <label for="f-authors">
                Authors <span class="hint">(in byline order, separated by commas)</span>
              </label>
              <input
                id="f-authors"
                name="authors"
                value={values.authors}
                data-suggest="people-list"
                autocomplete="off"
                aria-invalid={invalidIf('authors')}
              />
              <FieldError error={error} field="authors" />
            </div>
            <div class="field">
              <label for="f-tags">
                Tags <span class="hint">(separated by commas; new ones are created)</span>
              </label>
              <input
                id="f-tags"
                name="tags"
                value={values.tags}
                data-suggest="tags-list"
                autocomplete="off"
                aria-invalid={invalidIf('tags')}
              />
              <FieldError error={error} field="tags" />
            </div>
            <div class="field checkbox-field">
              <label>
                <input type="checkbox" name="comments" value="open" checked={values.commentsOpen} /> Comments open
              </label>
            </div>
            <datalist id="people-list">
              {p.people.map((n) => (
                <option value={n} key={n} />
              ))}
            </datalist>
            <datalist id="tags-list">
              {p.tags.map((n) => (
                <option value={n} key={n} />
              ))}
            </datalist>
          </fieldset>
          <HeroBox values={values} hero={p.hero} articleId={article?.id ?? null} disabled={!p.canEdit} error={error} />
          <EditorNarrationBox articleId={article?.id ?? null} canEditLexicon={p.actor.role === 'admin' || p.actor.role === 'editor'} />
        </div>
      </form>
      <EditorPreviewForm csrf={p.csrf} articleId={article?.id ?? null} />
      {article && (article.status === 'published' || p.corrections.length) ? (
        <CorrectionsPanel
          articleId={article.id}
          corrections={p.corrections}
          canCorrect={p.canCorrect && article.status === 'published'}
          csrf={p.csrf}
          error={error}
        />
      ) : null}
    </AdminLayout>
  );
}
