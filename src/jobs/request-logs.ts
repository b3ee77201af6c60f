import { sql } from 'drizzle-orm';
import { requestLogs } from '../db/schema';
import type { WorkerContext } from './context';
import type { JobOf, RequestLogEntry } from './messages';

/** Rows per INSERT: the rows travel as one JSON parameter, so D1's 100-parameter limit is moot. */
export const LOG_ROWS_PER_STATEMENT = 100;

// The columns of request_logs in table order (an INSERT ... SELECT fills them all).
const COLUMNS = [
  'id',
  'created_at',
  'method',
  'route',
  'path',
  'status',
  'duration_ms',
  'user_id',
  'username',
  'request_id',
  'ip_hash',
  'user_agent',
  'country',
] as const satisfies readonly (keyof RequestLogEntry)[];

const extracted = sql.raw(COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(', '));

/**
 * Inserts request logs, up to LOG_ROWS_PER_STATEMENT rows per statement and every statement
 * in one batch: one round trip for all the logs of a consumer batch. Ids make redelivery a
 * no-op.
 */
export async function insertRequestLogs(job: JobOf<'request_log.batch'>, ctx: WorkerContext) {
  const statements = [];
  for (let i = 0; i < job.entries.length; i += LOG_ROWS_PER_STATEMENT) {
    const rows = JSON.stringify(job.entries.slice(i, i + LOG_ROWS_PER_STATEMENT));
    statements.push(
      ctx.db
        .insert(requestLogs)
        // `where true`: without it SQLite would read ON CONFLICT as a join constraint.
        .select(sql`select ${extracted} from json_each(${rows}) where true`)
        .onConflictDoNothing(),
    );
  }
  const [first, ...rest] = statements;
  if (first) await ctx.db.batch([first, ...rest]);
}
