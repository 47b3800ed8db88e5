import type { Kysely } from 'kysely';
import { articleUrl } from '../articles/article.urls.js';
import type { Database } from '../db/database.js';
import { recordEvent } from '../events.js';

export interface ErasureResult {
  found: boolean;
  deleted: number;
  /** Comments with replies: emptied and kept as "removed" so the replies keep their place. */
  anonymised: number;
}

/** Erases a commenter (by email): every comment they wrote, and the commenter record itself. */
export async function eraseCommenter(db: Kysely<Database>, rawEmail: string): Promise<ErasureResult> {
  const email = rawEmail.normalize('NFC').trim().toLowerCase();
  return db.transaction().execute(async (trx) => {
    const commenter = await trx.selectFrom('commenters').select('id').where('email', '=', email).executeTakeFirst();
    if (!commenter) return { found: false, deleted: 0, anonymised: 0 };
    const own = await trx.selectFrom('comments').select(['id', 'article_id']).where('commenter_id', '=', commenter.id).execute();
    const ids = own.map((c) => c.id);
    let deleted = 0;
    let anonymised = 0;
    if (ids.length) {
      const withReplies = new Set(
        (await trx.selectFrom('comments').select('parent_id').where('parent_id', 'in', ids).execute()).map((r) => r.parent_id as number),
      );
      const keep = ids.filter((id) => withReplies.has(id));
      const drop = ids.filter((id) => !withReplies.has(id));
      if (keep.length) {
        await trx
          .updateTable('comments')
          .set({
            status: 'erased',
            name: '',
            body: '',
            body_hash: '',
            commenter_id: null,
            ip_hash: null,
            reasons: '[]',
            reject_reason: null,
            open_reports: 0,
          })
          .where('id', 'in', keep)
          .execute();
        await trx.deleteFrom('comment_reports').where('comment_id', 'in', keep).execute();
        anonymised = keep.length;
      }
      if (drop.length) {
        await trx.updateTable('moderation_log').set({ comment_id: null }).where('comment_id', 'in', drop).execute();
        await trx.deleteFrom('comment_reports').where('comment_id', 'in', drop).execute();
        await trx.deleteFrom('comments').where('id', 'in', drop).execute();
        deleted = drop.length;
      }
    }
    await trx.deleteFrom('commenters').where('id', '=', commenter.id).execute();
    const articles = [...new Set(own.map((c) => c.article_id))];
    for (const articleId of articles) {
      const a = await trx
        .selectFrom('articles')
        .innerJoin('sections', 'sections.id', 'articles.section_id')
        .select(['articles.slug', 'sections.slug as section_slug'])
        .where('articles.id', '=', articleId)
        .executeTakeFirst();
      await recordEvent(trx, 'comment.erased', null, {
        articleId,
        url: a ? articleUrl({ slug: a.slug, section: { slug: a.section_slug } }) : null,
      });
    }
    return { found: true, deleted, anonymised };
  });
}
