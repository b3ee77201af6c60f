import { and, lt, ne } from 'drizzle-orm';
import { affectedRows } from '../db/result';
import { emailOutbox } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import type { TaskResult } from './run';

export const BLANK_OUTBOX_JOB = 'blank_outbox_tokens';
/** The longest a mailed token lives (email verification): after that its text is blanked. */
export const OUTBOX_TEXT_TTL_MS = 48 * 60 * 60 * 1000;
export const BLANKED_TEXT = '[blanked: development mail older than 48 hours]';

/**
 * Every 15 minutes: blanks the text (and so the one-time token) of outbox mail older than
 * 48 hours. The development outbox keeps who got what, not a table of usable secrets.
 */
export async function blankOutboxTokens(ctx: WorkerContext): Promise<TaskResult> {
  const result = await ctx.db
    .update(emailOutbox)
    .set({ text: BLANKED_TEXT })
    .where(
      and(
        lt(emailOutbox.createdAt, new Date(ctx.now() - OUTBOX_TEXT_TTL_MS)),
        ne(emailOutbox.text, BLANKED_TEXT),
      ),
    )
    .run();
  return { rowsTouched: affectedRows(result) };
}
