import { eq } from 'drizzle-orm';
import { users } from '../db/schema';
import { userImagePrefix } from '../lib/uploads';
import type { WorkerContext } from './context';
import type { JobMessage, JobOf } from './messages';

/** Objects deleted per message: small enough for one invocation's subrequest budget. */
export const CLEANUP_PAGE_SIZE = 100;

/**
 * Deletes a removed account's R2 objects one page at a time; while more remain it queues
 * itself again with the listing cursor. Rows are gone already (cascading from the user).
 */
export async function cleanupAccount(job: JobOf<'account.cleanup'>, ctx: WorkerContext) {
  const { db, env } = ctx;
  const [live] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.id, job.user_id))
    .limit(1);
  if (live) {
    // Never delete the files of an account that exists: the message is stale or forged.
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'account.cleanup for a live account',
        user_id: job.user_id,
      }),
    );
    return;
  }
  const listed = await env.BUCKET.list({
    prefix: userImagePrefix(job.user_id),
    limit: CLEANUP_PAGE_SIZE,
    ...(job.cursor ? { cursor: job.cursor } : {}),
  });
  if (listed.objects.length > 0) await env.BUCKET.delete(listed.objects.map((o) => o.key));
  if (listed.truncated) {
    const next: JobMessage = {
      type: 'account.cleanup',
      user_id: job.user_id,
      cursor: listed.cursor,
    };
    await env.JOBS.send(next);
  }
}
