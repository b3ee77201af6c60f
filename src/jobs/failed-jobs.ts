import type { Database } from '../db/client';
import { failedJobs } from '../db/schema';
import { newId } from '../lib/ids';

export interface FailedJobInput {
  queue: string;
  messageId: string | null;
  body: unknown;
  error: string;
  attempts: number;
}

const typeOf = (body: unknown) =>
  body && typeof body === 'object' && 'type' in body && typeof body.type === 'string'
    ? body.type.slice(0, 100)
    : 'unknown';

export function failedJobRow(input: FailedJobInput, now: number) {
  return {
    id: newId(now),
    queue: input.queue,
    messageId: input.messageId,
    type: typeOf(input.body),
    body: JSON.stringify(input.body ?? null),
    error: input.error.slice(0, 2000),
    attempts: input.attempts,
    failedAt: new Date(now),
  };
}

export async function recordFailedJobs(db: Database, inputs: FailedJobInput[], now: number) {
  if (inputs.length === 0) return;
  // 9 columns per row: 10 rows per statement stays under D1's 100 bound parameters.
  const rows = inputs.map((i) => failedJobRow(i, now));
  const statements = [];
  for (let i = 0; i < rows.length; i += 10) {
    statements.push(db.insert(failedJobs).values(rows.slice(i, i + 10)));
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}
