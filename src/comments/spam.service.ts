import { sql } from 'kysely';
import type { Executor } from '../events.js';
import { isTrained, spamProbability, type TokenCounts, tokenize } from './spam.model.js';

export interface SpamVerdict {
  score: number;
  trained: boolean;
}

export async function spamDocs(db: Executor): Promise<TokenCounts> {
  const rows = await db.selectFrom('spam_docs').select(['class', 'count']).execute();
  return {
    spam: Number(rows.find((r) => r.class === 'spam')?.count ?? 0),
    ham: Number(rows.find((r) => r.class === 'ham')?.count ?? 0),
  };
}

async function tokenCounts(db: Executor, tokens: string[]): Promise<Map<string, TokenCounts>> {
  const map = new Map<string, TokenCounts>();
  for (let i = 0; i < tokens.length; i += 500) {
    const rows = await db
      .selectFrom('spam_tokens')
      .select(['token', 'spam', 'ham'])
      .where('token', 'in', tokens.slice(i, i + 500))
      .execute();
    for (const r of rows) map.set(r.token, { spam: Number(r.spam), ham: Number(r.ham) });
  }
  return map;
}

/** The current model's opinion of a comment. */
export async function scoreComment(db: Executor, name: string, body: string): Promise<SpamVerdict> {
  const docs = await spamDocs(db);
  if (docs.spam === 0 || docs.ham === 0) return { score: 0.5, trained: false };
  const tokens = tokenize(name, body);
  return { score: spamProbability(tokens, await tokenCounts(db, tokens), docs), trained: isTrained(docs) };
}

/** Learns (delta 1) or unlearns (delta -1) one comment as one class. */
export async function train(trx: Executor, cls: 'spam' | 'ham', name: string, body: string, delta: 1 | -1): Promise<void> {
  const tokens = tokenize(name, body);
  await trx
    .updateTable('spam_docs')
    .set({ count: sql`case when count + ${delta} < 0 then 0 else count + ${delta} end` })
    .where('class', '=', cls)
    .execute();
  if (tokens.length === 0) return;
  if (delta === 1) {
    await trx
      .insertInto('spam_tokens')
      .values(tokens.map((token) => ({ token, spam: cls === 'spam' ? 1 : 0, ham: cls === 'ham' ? 1 : 0 })))
      .onConflict((oc) => oc.column('token').doUpdateSet({ [cls]: sql`spam_tokens.${sql.ref(cls)} + 1` }))
      .execute();
  } else {
    await trx
      .updateTable('spam_tokens')
      .set({ [cls]: sql`case when ${sql.ref(cls)} > 0 then ${sql.ref(cls)} - 1 else 0 end` })
      .where('token', 'in', tokens)
      .execute();
  }
}

/** Moves a comment's contribution to the model to match the moderator's latest decision. */
export async function retrain(
  trx: Executor,
  comment: { id: number; name: string; body: string; trained_as: string | null },
  cls: 'spam' | 'ham',
): Promise<void> {
  if (comment.trained_as === cls) return;
  if (comment.trained_as === 'spam' || comment.trained_as === 'ham') await train(trx, comment.trained_as, comment.name, comment.body, -1);
  await train(trx, cls, comment.name, comment.body, 1);
  await trx.updateTable('comments').set({ trained_as: cls }).where('id', '=', comment.id).execute();
}
