import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { dayOf, ROLLUP_JOB } from '../../src/cron/rollup-request-logs';
import { DAY_MS } from '../../src/lib/time';
import { createUser } from '../support/direct-users';
import {
  insertLike,
  insertLog,
  insertPost,
  lastRun,
  runCron,
  runsOf,
  tableSnapshot,
} from './support';

const ROLLUP_CRON = '5 * * * *';
const HOUR_MS = 60 * 60 * 1000;

const startOfToday = Date.now() - (Date.now() % DAY_MS);
const yesterday = startOfToday - DAY_MS;
const threeDaysAgo = startOfToday - 3 * DAY_MS;

const statsOf = async (day: string) =>
  env.DB.prepare('select * from daily_stats where day = ?')
    .bind(day)
    .first<Record<string, unknown>>();

// No HTTP requests in this file: every row below is placed by hand, so every number is known.
describe('hourly roll-up of request logs into daily_stats', () => {
  beforeAll(async () => {
    // Yesterday: ten requests lasting 1..10 ms (shuffled), one of them in its last millisecond.
    const yesterdayLogs: [number, number, number][] = [
      [yesterday + 1 * HOUR_MS, 200, 5],
      [yesterday + 2 * HOUR_MS, 200, 1],
      [yesterday + 3 * HOUR_MS, 201, 3],
      [yesterday + 4 * HOUR_MS, 200, 2],
      [yesterday + 5 * HOUR_MS, 304, 4],
      [yesterday + 6 * HOUR_MS, 404, 10],
      [yesterday + 7 * HOUR_MS, 200, 8],
      [yesterday + 8 * HOUR_MS, 422, 6],
      [yesterday + 9 * HOUR_MS, 500, 7],
      [startOfToday - 1, 200, 9],
    ];
    // Three days ago: three requests of 30, 10 and 20 ms, the first at midnight exactly.
    const olderLogs: [number, number, number][] = [
      [threeDaysAgo, 200, 30],
      [threeDaysAgo + HOUR_MS, 302, 10],
      [threeDaysAgo + 2 * HOUR_MS, 503, 20],
    ];
    for (const [at, status, ms] of [...yesterdayLogs, ...olderLogs])
      await insertLog(at, status, ms);

    // Past the 30-day retention, and just inside it.
    await insertLog(Date.now() - 31 * DAY_MS, 200, 1);
    await insertLog(Date.now() - 29 * DAY_MS, 200, 1);

    // Yesterday: two signups, three posts, two likes. Three days ago: one signup, one like.
    const a = await createUser({ createdAt: yesterday + HOUR_MS });
    const b = await createUser({ createdAt: yesterday + 2 * HOUR_MS });
    const c = await createUser({ createdAt: threeDaysAgo + HOUR_MS });
    const p1 = await insertPost(a.id, yesterday + 3 * HOUR_MS);
    await insertPost(a.id, yesterday + 4 * HOUR_MS);
    await insertPost(b.id, yesterday + 5 * HOUR_MS);
    const older = await insertPost(c.id, threeDaysAgo + 2 * HOUR_MS);
    await insertLike(p1, b.id, yesterday + 6 * HOUR_MS);
    await insertLike(p1, a.id, yesterday + 7 * HOUR_MS);
    await insertLike(older, c.id, threeDaysAgo + 3 * HOUR_MS);

    await runCron(ROLLUP_CRON);
  });

  it('matches the hand-computed numbers for each day', async () => {
    // p50 = value at rank ceil(0.5 * 10) = 5th of 1..10; p95 = rank ceil(9.5) = 10th.
    expect(await statsOf(dayOf(yesterday))).toMatchObject({
      requests: 10,
      status_2xx: 6,
      status_3xx: 1,
      status_4xx: 2,
      status_5xx: 1,
      p50_duration_ms: 5,
      p95_duration_ms: 10,
      signups: 2,
      posts: 3,
      likes: 2,
    });
    // 10, 20, 30: p50 = rank ceil(1.5) = 2nd = 20; p95 = rank ceil(2.85) = 3rd = 30.
    expect(await statsOf(dayOf(threeDaysAgo))).toMatchObject({
      requests: 3,
      status_2xx: 1,
      status_3xx: 1,
      status_4xx: 0,
      status_5xx: 1,
      p50_duration_ms: 20,
      p95_duration_ms: 30,
      signups: 1,
      posts: 1,
      likes: 1,
    });
    // A day with no activity gets no row (the stats endpoint reports zeros for it).
    expect(await statsOf(dayOf(startOfToday - 2 * DAY_MS))).toBeNull();
  });

  it('deletes logs past the retention and keeps the rest', async () => {
    const { results } = await env.DB.prepare(
      'select created_at from request_logs where created_at < ?',
    )
      .bind(startOfToday - 28 * DAY_MS)
      .all<{ created_at: number }>();
    expect(results).toHaveLength(1);
    expect(results[0]?.created_at).toBeGreaterThan(Date.now() - 30 * DAY_MS);
  });

  it('records the run in job_runs', async () => {
    const run = await lastRun(ROLLUP_JOB);
    expect(run?.outcome).toBe('ok');
    expect(run?.finished_at).not.toBeNull();
    // 3 days with activity (yesterday, three days ago, 29 days ago) + 1 expired log.
    expect(run?.rows_touched).toBe(4);
    expect(run?.detail).toContain('1 request logs');
  });

  it('changes nothing when run again', async () => {
    const stats = await tableSnapshot('daily_stats');
    const logs = await tableSnapshot('request_logs');
    await runCron(ROLLUP_CRON);
    expect(await tableSnapshot('daily_stats')).toEqual(stats);
    expect(await tableSnapshot('request_logs')).toEqual(logs);
    const runs = await runsOf(ROLLUP_JOB);
    expect(runs.at(-1)).toMatchObject({ outcome: 'ok', rows_touched: 0 });
  });

  it('recomputes a touched day whole when a late log arrives, counting nothing twice', async () => {
    await insertLog(yesterday + 10 * HOUR_MS, 500, 100);
    await runCron(ROLLUP_CRON);
    // 11 durations: p50 = rank 6 = 6 ms; p95 = rank ceil(10.45) = 11th = 100 ms.
    expect(await statsOf(dayOf(yesterday))).toMatchObject({
      requests: 11,
      status_5xx: 2,
      p50_duration_ms: 6,
      p95_duration_ms: 100,
    });
    expect((await lastRun(ROLLUP_JOB))?.rows_touched).toBe(1);
    await runCron(ROLLUP_CRON);
    expect((await statsOf(dayOf(yesterday)))?.requests).toBe(11);
    expect((await lastRun(ROLLUP_JOB))?.rows_touched).toBe(0);
  });
});
