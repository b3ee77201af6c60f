import { requestLogs } from '../db/schema';
import type { WorkerContext } from './context';
import type { JobOf } from './messages';

// 13 columns per row: 7 rows per statement keeps under D1's 100 bound parameters.
const ROWS_PER_STATEMENT = 7;

/** Inserts a whole batch of request logs in one statement group; ids make redelivery a no-op. */
export async function insertRequestLogs(job: JobOf<'request_log.batch'>, ctx: WorkerContext) {
  const rows = job.entries.map((e) => ({
    id: e.id,
    createdAt: new Date(e.created_at),
    method: e.method,
    route: e.route,
    path: e.path,
    status: e.status,
    durationMs: e.duration_ms,
    userId: e.user_id,
    username: e.username,
    requestId: e.request_id,
    ipHash: e.ip_hash,
    userAgent: e.user_agent,
    country: e.country,
  }));
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      ctx.db
        .insert(requestLogs)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoNothing(),
    );
  }
  const [first, ...rest] = statements;
  if (first) await ctx.db.batch([first, ...rest]);
}
