import { asc, gt, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { affectedRows } from '../db/result';
import { posts, profiles } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import type { TaskResult } from './run';

export const RECONCILE_JOB = 'reconcile_counters';

const BATCH_SIZE = 500;
const MAX_BATCHES = 1000;

/**
 * Walks `table` in primary-key order, BATCH_SIZE rows per statement, setting `counter` to the
 * true count where it differs; returns how many rows drifted. Each UPDATE is one statement,
 * so a like or post landing meanwhile is counted either before or after, never lost.
 */
async function repair(
  db: Database,
  table: SQLiteTable,
  id: SQLiteColumn,
  update: (from: string, to: string) => ReturnType<typeof sql>,
): Promise<number> {
  let drifted = 0;
  let after = '';
  for (let i = 0; i < MAX_BATCHES; i++) {
    const ids = await db
      .select({ id })
      .from(table)
      .where(gt(id, after))
      .orderBy(asc(id))
      .limit(BATCH_SIZE);
    const last = ids.at(-1)?.id as string | undefined;
    if (last === undefined) break;
    drifted += affectedRows(await db.run(update(after, last)));
    after = last;
    if (ids.length < BATCH_SIZE) break;
  }
  return drifted;
}

/** Daily: recomputes posts.like_count and profiles.post_count and reports the drift found. */
export async function reconcileCounters(ctx: WorkerContext): Promise<TaskResult> {
  const likeCounts = await repair(
    ctx.db,
    posts,
    posts.id,
    (from, to) => sql`update posts
      set like_count = (select count(*) from likes where likes.post_id = posts.id)
      where id > ${from} and id <= ${to}
        and like_count != (select count(*) from likes where likes.post_id = posts.id)`,
  );
  const postCounts = await repair(
    ctx.db,
    profiles,
    profiles.userId,
    (from, to) => sql`update profiles
      set post_count = (select count(*) from posts where posts.user_id = profiles.user_id)
      where user_id > ${from} and user_id <= ${to}
        and post_count != (select count(*) from posts where posts.user_id = profiles.user_id)`,
  );
  return {
    rowsTouched: likeCounts + postCounts,
    detail: `drift repaired: ${likeCounts} posts.like_count, ${postCounts} profiles.post_count`,
  };
}
