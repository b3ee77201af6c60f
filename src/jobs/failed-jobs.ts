import type { Database } from '../db/client';
import { failedJobs } from '../db/schema';
import { newId } from '../lib/ids';
import { redact } from '../lib/redact';

export interface FailedJobInput {
  queue: string;
  messageId: string | null;
  body: unknown;
  error: string;
  attempts: number;
  /** false when the job can never succeed; also false when a secret had to be removed. */
  retryable?: boolean;
}

const typeOf = (body: unknown) =>
  body && typeof body === 'object' && 'type' in body && typeof body.type === 'string'
    ? body.type.slice(0, 100)
    : 'unknown';

/**
 * The row for a failed message. Secrets (an email's token) are redacted before storing, not
 * only on display; a message that lost one cannot be sent again, so it is not retryable.
 */
export function failedJobRow(input: FailedJobInput, now: number) {
  const body = JSON.stringify(input.body ?? null);
  const stored = JSON.stringify(redact(input.body ?? null));
  return {
    id: newId(now),
    queue: input.queue,
    messageId: input.messageId,
    type: typeOf(input.body),
    body: stored,
    error: input.error.slice(0, 2000),
    attempts: input.attempts,
    failedAt: new Date(now),
    retryable: (input.retryable ?? true) && stored === body,
  };
}

/** Records failed messages; one already recorded for its (queue, message id) is left as it is. */
export async function recordFailedJobs(db: Database, inputs: FailedJobInput[], now: number) {
  if (inputs.length === 0) return;
  // 10 columns per row: 9 rows per statement stays under D1's 100 bound parameters.
  const rows = inputs.map((i) => failedJobRow(i, now));
  const statements = [];
  for (let i = 0; i < rows.length; i += 9) {
    statements.push(
      db
        .insert(failedJobs)
        .values(rows.slice(i, i + 9))
        .onConflictDoNothing(),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}
