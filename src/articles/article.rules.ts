import { AppError, invalid, notFound } from '../errors.js';
import type { Actor, Role } from '../users/user.table.js';
import type { ArticleStatus } from './article.table.js';

/** What the newsroom can do to an article's status, and who may. */
export const ACTIONS = ['submit', 'return', 'schedule', 'publish', 'unpublish'] as const;
export type WorkflowAction = (typeof ACTIONS)[number];

interface Transition {
  from: ArticleStatus[];
  to: ArticleStatus;
  roles: Role[];
  label: string;
}

/**
 * draft → in_review → scheduled → published, published → unpublished → published. Editors may
 * skip steps (publish a draft straight away) and send an article back to draft; a writer may
 * submit their own draft and take it back while it waits for review.
 */
export const TRANSITIONS: Record<WorkflowAction, Transition> = {
  submit: { from: ['draft'], to: 'in_review', roles: ['writer', 'editor', 'admin'], label: 'Submit for review' },
  return: { from: ['in_review', 'scheduled', 'unpublished'], to: 'draft', roles: ['writer', 'editor', 'admin'], label: 'Back to draft' },
  schedule: { from: ['draft', 'in_review', 'scheduled', 'unpublished'], to: 'scheduled', roles: ['editor', 'admin'], label: 'Schedule' },
  publish: { from: ['draft', 'in_review', 'scheduled', 'unpublished'], to: 'published', roles: ['editor', 'admin'], label: 'Publish now' },
  unpublish: { from: ['published'], to: 'unpublished', roles: ['editor', 'admin'], label: 'Unpublish' },
};

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

/** The owner columns of an article, as far as permissions care. */
export interface Ownership {
  status: ArticleStatus;
  created_by: number | null;
  created_by_token: number | null;
}

const EDITORS: Role[] = ['editor', 'admin'];
export const ARTICLE_ROLES: Role[] = ['writer', 'editor', 'admin'];

export const isEditor = (actor: Actor) => EDITORS.includes(actor.role);

export function owns(actor: Actor, article: Ownership): boolean {
  if (actor.userId !== null && article.created_by === actor.userId) return true;
  return actor.kind === 'token' && actor.userId === null && actor.tokenId !== undefined && article.created_by_token === actor.tokenId;
}

/** Moderators never see articles in the newsroom; writers see their own; editors and admins everything. */
export function canView(actor: Actor, article: Ownership): boolean {
  if (isEditor(actor)) return true;
  return actor.role === 'writer' && owns(actor, article);
}

/** Writers change only their own drafts and articles waiting for review. */
export function canEdit(actor: Actor, article: Ownership): boolean {
  if (isEditor(actor)) return true;
  return actor.role === 'writer' && owns(actor, article) && (article.status === 'draft' || article.status === 'in_review');
}

export function canTransition(actor: Actor, article: Ownership, action: WorkflowAction): boolean {
  const t = TRANSITIONS[action];
  if (!t.from.includes(article.status) || !t.roles.includes(actor.role)) return false;
  if (actor.role === 'writer') return owns(actor, article) && (action === 'submit' || article.status === 'in_review');
  return true;
}

/** The actions this actor may take on this article now, in the order the editor shows them. */
export function availableActions(actor: Actor, article: Ownership): WorkflowAction[] {
  return ACTIONS.filter((a) => canTransition(actor, article, a));
}

/** The one answer for an article this actor may not open, the same as for one that does not exist. */
export const NO_SUCH_ARTICLE = 'No such article.';

/**
 * Every staff route that takes an article (and so its revisions, corrections and narration) checks
 * this first. An article the actor may not open answers 404 exactly as a missing one does: a
 * writer learns nothing about others' drafts and embargoed pieces, not even that they exist.
 */
export function assertView(actor: Actor, article: Ownership | undefined): asserts article is Ownership {
  if (!article || !canView(actor, article)) throw notFound(NO_SUCH_ARTICLE);
}

/** The media library is shared: every newsroom role sees and picks any image; writers change the details of their own uploads. */
export function canEditMedia(actor: Actor, media: { uploaded_by: number | null }): boolean {
  if (isEditor(actor)) return true;
  return actor.role === 'writer' && actor.userId !== null && media.uploaded_by === actor.userId;
}

export function assertEdit(actor: Actor, article: Ownership): void {
  assertView(actor, article);
  if (!canEdit(actor, article)) {
    throw new AppError('forbidden', `This article is ${STATUS_LABELS[article.status].toLowerCase()}: only an editor can change it now.`);
  }
}

export function assertTransition(actor: Actor, article: Ownership, action: WorkflowAction): void {
  assertView(actor, article);
  const t = TRANSITIONS[action];
  if (!t.roles.includes(actor.role)) throw new AppError('forbidden', `Only an editor can ${t.label.toLowerCase()}.`);
  if (!t.from.includes(article.status)) {
    throw new AppError('conflict', `A ${STATUS_LABELS[article.status].toLowerCase()} article cannot be changed that way (${t.label}).`);
  }
  if (!canTransition(actor, article, action)) throw new AppError('forbidden', 'Your role does not allow this.');
}

/** What must be true before an article goes public (published or scheduled). */
export function assertPublishable(a: {
  headline: string;
  sectionId: number | null;
  bodyMd: string;
  heroMediaId: number | null;
  heroAlt: string;
}) {
  if (!a.headline.trim()) throw invalid('Write a headline before publishing.', 'headline');
  if (!a.sectionId) throw invalid('Choose a section before publishing.', 'section');
  if (!a.bodyMd.trim()) throw invalid('Write the body before publishing.', 'body');
  if (a.heroMediaId !== null && !a.heroAlt.trim()) {
    throw invalid('Describe the hero image (alt text) before publishing: readers who cannot see it rely on it.', 'hero_alt');
  }
}
