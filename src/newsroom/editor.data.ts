import { findArticleById } from '../articles/article.repo.js';
import { assertView, availableActions, canEdit, isEditor } from '../articles/article.rules.js';
import { articleUrl } from '../articles/article.urls.js';
import { findArticleRow } from '../articles/article.workflow.js';
import { listCorrections } from '../articles/correction.service.js';
import { notFound } from '../errors.js';
import type { Executor } from '../events.js';
import { findMediaByIds } from '../media/media.service.js';
import { listSections } from '../sections/section.service.js';
import type { SiteSettings } from '../settings/settings.service.js';
import { countWords } from '../text/reading.js';
import type { Actor } from '../users/user.table.js';
import { type EditorValues, EMPTY_VALUES, toZoneInput } from './article.form.js';
import type { EditorProps } from './editor.views.js';
import type { FormError } from './form.views.js';

/** Everything the editor page shows: the article (or a blank one), the choices, and what this actor may do. */
export async function editorData(
  db: Executor,
  input: { actor: Actor; id: number | null; settings: SiteSettings; values?: EditorValues; error?: FormError },
): Promise<Omit<EditorProps, 'siteName' | 'csrf' | 'flash'>> {
  const { actor, settings } = input;
  const [sections, people, tags] = await Promise.all([
    listSections(db),
    db.selectFrom('people').select('name').orderBy('name').limit(2000).execute(),
    db.selectFrom('tags').select('name').orderBy('name').limit(2000).execute(),
  ]);
  const row = input.id !== null ? await findArticleRow(db, input.id) : undefined;
  const view = input.id !== null ? await findArticleById(db, input.id) : undefined;
  if (input.id !== null && (!row || !view)) throw notFound('No such article.');
  if (row) assertView(actor, row);
  let values: EditorValues;
  if (input.values) values = input.values;
  else if (row && view) {
    values = {
      headline: row.headline,
      standfirst: row.standfirst,
      slug: row.slug,
      section: String(row.section_id),
      authors: view.authors.map((a) => a.name).join(', '),
      tags: view.tags.map((t) => t.name).join(', '),
      body: row.body_md,
      heroMediaId: row.hero_media_id ? String(row.hero_media_id) : '',
      heroAlt: row.hero_alt,
      heroCaption: row.hero_caption,
      heroCredit: row.hero_credit,
      commentsOpen: row.comments_open === 1,
      published: toZoneInput(row.published_at, settings.timeZone),
      version: row.modified_at,
    };
  } else {
    // A new article: the writer's own byline and the first section are the likely choice.
    const me = actor.personId
      ? await db.selectFrom('people').select('name').where('id', '=', actor.personId).executeTakeFirst()
      : undefined;
    values = { ...EMPTY_VALUES, authors: me?.name ?? '', section: sections[0] ? String(sections[0].id) : '' };
  }
  const heroId = /^\d+$/.test(values.heroMediaId) ? Number(values.heroMediaId) : null;
  const hero = heroId ? ((await findMediaByIds(db, [heroId])).get(heroId) ?? null) : null;
  const editable = row ? canEdit(actor, row) : true;
  const owner = row ?? { status: 'draft' as const, created_by: actor.userId, created_by_token: null };
  return {
    actor,
    timeZone: settings.timeZone,
    wordsPerMinute: settings.wordsPerMinute,
    article:
      row && view
        ? {
            id: row.id,
            status: row.status,
            url: articleUrl(view),
            everPublished: row.status === 'published' || row.status === 'unpublished',
          }
        : null,
    values,
    wordCount: countWords(values.body),
    sections,
    people: people.map((p) => p.name),
    tags: tags.map((t) => t.name),
    hero,
    actions: availableActions(actor, owner),
    canEdit: editable,
    canSchedule: isEditor(actor),
    corrections: row ? await listCorrections(db, row.id) : [],
    canCorrect: isEditor(actor),
    error: input.error,
  };
}
