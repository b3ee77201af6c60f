import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { affectedRows } from '../db/result';
import { dailyStats, jobRuns, requestLogs } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import { DAY_MS } from '../lib/time';
import type { TaskResult } from './run';

export const ROLLUP_JOB = 'rollup_request_logs';

/** Days recomputed at most per run (the first run, or after a long pause). */
export const MAX_DAYS_PER_RUN = 35;
const RETENTION_BATCH = 1000;
const MAX_RETENTION_BATCHES = 50;
// 12 columns per row: 8 rows per statement keeps under D1's 100 bound parameters.
const STATS_ROWS_PER_STATEMENT = 8;

/** The UTC day of an epoch-millisecond time, as YYYY-MM-DD. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => ms - (ms % DAY_MS);

/** SQL for the UTC day of an epoch-millisecond column. */
const daySql = (column: unknown) => sql`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;

export interface DayStats {
  day: string;
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  signups: number;
  posts: number;
  likes: number;
}

const NO_ACTIVITY: Omit<DayStats, 'day'> = {
  requests: 0,
  status2xx: 0,
  status3xx: 0,
  status4xx: 0,
  status5xx: 0,
  p50DurationMs: null,
  p95DurationMs: null,
  signups: 0,
  posts: 0,
  likes: 0,
};

const emptyDay = (day: string): DayStats => ({ day, ...NO_ACTIVITY });

/**
 * Computes every statistic of the days in [from, to) from the source tables. Percentiles are
 * nearest-rank: the value at rank ceil(p/100 * n) of the day's durations in ascending order.
 */
export async function computeDays(db: Database, from: number, to: number): Promise<DayStats[]> {
  const days = new Map<string, DayStats>();
  for (let t = from; t < to; t += DAY_MS) days.set(dayOf(t), emptyDay(dayOf(t)));
  const at = (day: string) => days.get(day) ?? emptyDay(day);
  const range = (table: string) =>
    sql`${sql.identifier(table)}.created_at >= ${from} and ${sql.identifier(table)}.created_at < ${to}`;

  const statuses = await db.all<{
    day: string;
    requests: number;
    s2: number;
    s3: number;
    s4: number;
    s5: number;
  }>(sql`select ${daySql(sql.raw('created_at'))} as day, count(*) as requests,
      sum(status between 200 and 299) as s2, sum(status between 300 and 399) as s3,
      sum(status between 400 and 499) as s4, sum(status >= 500) as s5
    from request_logs where ${range('request_logs')} group by day`);
  for (const r of statuses) {
    Object.assign(at(r.day), {
      requests: r.requests,
      status2xx: r.s2,
      status3xx: r.s3,
      status4xx: r.s4,
      status5xx: r.s5,
    });
  }

  const ranks = await db.all<{ day: string; duration: number; rn: number; n: number }>(
    sql`select day, duration, rn, n from (
      select ${daySql(sql.raw('created_at'))} as day, duration_ms as duration,
        row_number() over (partition by ${daySql(sql.raw('created_at'))} order by duration_ms) as rn,
        count(*) over (partition by ${daySql(sql.raw('created_at'))}) as n
      from request_logs where ${range('request_logs')}
    ) where rn = (n * 50 + 99) / 100 or rn = (n * 95 + 99) / 100`,
  );
  for (const r of ranks) {
    const stats = at(r.day);
    if (r.rn === Math.ceil((r.n * 50) / 100)) stats.p50DurationMs = r.duration;
    if (r.rn === Math.ceil((r.n * 95) / 100)) stats.p95DurationMs = r.duration;
  }

  for (const [table, field] of [
    ['users', 'signups'],
    ['posts', 'posts'],
    ['likes', 'likes'],
  ] as const) {
    const counts = await db.all<{ day: string; n: number }>(
      sql`select ${daySql(sql.raw('created_at'))} as day, count(*) as n
        from ${sql.identifier(table)} where ${range(table)} group by day`,
    );
    for (const r of counts) at(r.day)[field] = r.n;
  }
  return [...days.values()];
}

const hasActivity = (d: DayStats) => d.requests + d.signups + d.posts + d.likes > 0;
const changed = (column: string) =>
  sql`${sql.identifier(column)} is not excluded.${sql.identifier(column)}`;

/** Writes the days, touching only rows whose numbers differ; returns how many changed. */
async function saveDays(db: Database, days: DayStats[], now: number): Promise<number> {
  const active = days.filter(hasActivity);
  const idle = days.filter((d) => !hasActivity(d)).map((d) => d.day);
  let touched = 0;
  for (let i = 0; i < active.length; i += STATS_ROWS_PER_STATEMENT) {
    const rows = active
      .slice(i, i + STATS_ROWS_PER_STATEMENT)
      .map((d) => ({ ...d, updatedAt: new Date(now) }));
    const result = await db
      .insert(dailyStats)
      .values(rows)
      .onConflictDoUpdate({
        target: dailyStats.day,
        set: Object.fromEntries(
          Object.entries({
            requests: 'requests',
            status2xx: 'status_2xx',
            status3xx: 'status_3xx',
            status4xx: 'status_4xx',
            status5xx: 'status_5xx',
            p50DurationMs: 'p50_duration_ms',
            p95DurationMs: 'p95_duration_ms',
            signups: 'signups',
            posts: 'posts',
            likes: 'likes',
            updatedAt: 'updated_at',
          }).map(([key, column]) => [key, sql.raw(`excluded.${column}`)]),
        ),
        setWhere: or(
          ...[
            'requests',
            'status_2xx',
            'status_3xx',
            'status_4xx',
            'status_5xx',
            'p50_duration_ms',
            'p95_duration_ms',
            'signups',
            'posts',
            'likes',
          ].map(changed),
        ),
      })
      .run();
    touched += affectedRows(result);
  }
  // A day whose activity vanished (its posts deleted, say) is zeroed, not left stale.
  for (let i = 0; i < idle.length; i += 90) {
    const result = await db
      .update(dailyStats)
      .set({ ...NO_ACTIVITY, updatedAt: new Date(now) })
      .where(
        and(
          inArray(dailyStats.day, idle.slice(i, i + 90)),
          sql`${dailyStats.requests} + ${dailyStats.signups} + ${dailyStats.posts} + ${dailyStats.likes} > 0`,
        ),
      )
      .run();
    touched += affectedRows(result);
  }
  return touched;
}

/** Deletes logs older than the retention, a bounded number of batches per run. */
async function deleteExpiredLogs(db: Database, cutoff: number): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < MAX_RETENTION_BATCHES; i++) {
    const batch = db
      .select({ id: requestLogs.id })
      .from(requestLogs)
      .where(lt(requestLogs.createdAt, new Date(cutoff)))
      .limit(RETENTION_BATCH);
    const result = await db.delete(requestLogs).where(inArray(requestLogs.id, batch)).run();
    const n = affectedRows(result);
    deleted += n;
    if (n < RETENTION_BATCH) break;
  }
  return deleted;
}

/**
 * Hourly: recomputes daily_stats for every day that may have changed since the last
 * successful run (from the day before it, for logs that arrive late through the queue), then
 * applies the retention. Whole days are recomputed, so running it twice counts nothing twice.
 */
export async function rollUpRequestLogs(ctx: WorkerContext): Promise<TaskResult> {
  const { db, config } = ctx;
  const now = ctx.now();
  const cutoff = now - config.REQUEST_LOG_RETENTION_DAYS * DAY_MS;
  const [lastRun] = await db
    .select({ startedAt: jobRuns.startedAt })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, ROLLUP_JOB), eq(jobRuns.outcome, 'ok')))
    .orderBy(desc(jobRuns.startedAt))
    .limit(1);
  const end = startOfDay(now) + DAY_MS;
  const earliest = Math.max(end - MAX_DAYS_PER_RUN * DAY_MS, startOfDay(cutoff) + DAY_MS);
  const from = lastRun
    ? Math.max(startOfDay(lastRun.startedAt.getTime()) - DAY_MS, earliest)
    : earliest;

  const days = await computeDays(db, from, end);
  const statsChanged = await saveDays(db, days, now);
  const logsDeleted = await deleteExpiredLogs(db, cutoff);
  return {
    rowsTouched: statsChanged + logsDeleted,
    detail: `days ${dayOf(from)}..${dayOf(end - DAY_MS)} recomputed; ${statsChanged} daily_stats rows changed; ${logsDeleted} request logs past ${config.REQUEST_LOG_RETENTION_DAYS} days deleted`,
  };
}
