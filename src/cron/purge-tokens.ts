import { and, isNotNull, lt, or } from 'drizzle-orm';
import { affectedRows } from '../db/result';
import { idempotencyKeys, oneTimeTokens, sessions } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import { DAY_MS } from '../lib/time';
import type { TaskResult } from './run';

/**
 * Deletes expired or revoked refresh sessions, used or expired one-time tokens, and
 * idempotency keys past 24 h. Revoked sessions are kept until they expire: reuse
 * detection needs to recognise a rotated token for as long as it could have been valid.
 */
export async function purgeExpiredTokens(ctx: WorkerContext): Promise<TaskResult> {
  const now = new Date(ctx.now());
  const [s, t, k] = await ctx.db.batch([
    ctx.db.delete(sessions).where(lt(sessions.expiresAt, now)),
    ctx.db
      .delete(oneTimeTokens)
      .where(or(lt(oneTimeTokens.expiresAt, now), isNotNull(oneTimeTokens.usedAt))),
    ctx.db
      .delete(idempotencyKeys)
      .where(and(lt(idempotencyKeys.createdAt, new Date(ctx.now() - DAY_MS)))),
  ]);
  return { rowsTouched: affectedRows(s) + affectedRows(t) + affectedRows(k) };
}
