import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { RECONCILE_JOB, reconcileCounters } from '../../src/cron/reconcile-counters';
import {
  computeDays,
  dayOf,
  ROLLUP_JOB,
  rollUpRequestLogs,
} from '../../src/cron/rollup-request-logs';
import { recordRun } from '../../src/cron/run';
import { dailyStats, posts, profiles, requestLogs } from '../../src/db/schema';
import { DAY_MS } from '../../src/lib/time';
import { insertLike, insertPost, insertRequestLog, insertUser } from './fixtures';
import { type CaseSuite, jobContext } from './harness';

const DAY0 = Date.UTC(2026, 5, 10);
const HOUR = 3_600_000;

/** The cron tasks that only touch the database (the image sweep also needs R2: workerd only). */
export const cronCases: CaseSuite = (engine) => {
  it('reconcileCounters repairs drifted like and post counts, and reports the drift', async () => {
    const { db } = engine();
    const ada = await insertUser(db);
    const bob = await insertUser(db);
    const drifted = await insertPost(db, ada.id, { likeCount: 5 });
    const right = await insertPost(db, ada.id, { likeCount: 1 });
    await insertLike(db, drifted.id, bob.id);
    await insertLike(db, right.id, bob.id);
    // ada has 2 posts but her profile says 0; bob's says 0 and is right.
    const result = await reconcileCounters(jobContext(db));
    expect(result.rowsTouched).toBe(2);
    expect(result.detail).toBe('drift repaired: 1 posts.like_count, 1 profiles.post_count');
    const counts = new Map(
      (await db.select({ id: posts.id, n: posts.likeCount }).from(posts)).map((p) => [p.id, p.n]),
    );
    expect(counts.get(drifted.id)).toBe(1);
    expect(counts.get(right.id)).toBe(1);
    const [profile] = await db.select().from(profiles).where(eq(profiles.userId, ada.id));
    expect(profile?.postCount).toBe(2);
    expect((await reconcileCounters(jobContext(db))).rowsTouched).toBe(0);
    expect(RECONCILE_JOB).toBe('reconcile_counters');
  });

  it('computeDays counts requests by status class, nearest-rank percentiles and activity', async () => {
    const { db } = engine();
    const durations = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    for (const [i, durationMs] of durations.entries()) {
      await insertRequestLog(db, {
        createdAt: new Date(DAY0 + i * HOUR),
        durationMs,
        status: [200, 201, 304, 404, 500][i % 5],
      });
    }
    await insertRequestLog(db, { createdAt: new Date(DAY0 + DAY_MS + HOUR), durationMs: 2.5 });
    const user = await insertUser(db, { createdAt: new Date(DAY0 + HOUR) });
    const post = await insertPost(db, user.id, { createdAt: new Date(DAY0 + 2 * HOUR) });
    await insertLike(db, post.id, user.id, new Date(DAY0 + DAY_MS + 2 * HOUR));

    const days = await computeDays(db, DAY0, DAY0 + 3 * DAY_MS);
    expect(days).toEqual([
      {
        day: dayOf(DAY0),
        requests: 10,
        status2xx: 4,
        status3xx: 2,
        status4xx: 2,
        status5xx: 2,
        p50DurationMs: 5,
        p95DurationMs: 10,
        signups: 1,
        posts: 1,
        likes: 0,
      },
      {
        day: dayOf(DAY0 + DAY_MS),
        requests: 1,
        status2xx: 1,
        status3xx: 0,
        status4xx: 0,
        status5xx: 0,
        p50DurationMs: 2.5,
        p95DurationMs: 2.5,
        signups: 0,
        posts: 0,
        likes: 1,
      },
      {
        day: dayOf(DAY0 + 2 * DAY_MS),
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
      },
    ]);
  });

  it('rollUpRequestLogs writes daily_stats, rewrites nothing on a rerun, applies retention', async () => {
    const { db } = engine();
    const now = DAY0 + 12 * HOUR;
    const ctx = jobContext(db, now);
    const retention = ctx.config.REQUEST_LOG_RETENTION_DAYS;
    await insertRequestLog(db, { createdAt: new Date(now - HOUR), status: 201 });
    await insertRequestLog(db, { createdAt: new Date(now - 2 * HOUR), status: 500 });
    const old = await insertRequestLog(db, {
      createdAt: new Date(now - (retention + 1) * DAY_MS),
    });

    const first = await recordRun(ctx, ROLLUP_JOB, rollUpRequestLogs);
    expect(first.rowsTouched).toBe(2); // one daily_stats row written, one old log deleted
    const [today] = await db
      .select()
      .from(dailyStats)
      .where(eq(dailyStats.day, dayOf(now)));
    expect(today).toMatchObject({ requests: 2, status2xx: 1, status5xx: 1 });
    expect(await db.$count(requestLogs, eq(requestLogs.id, old.id))).toBe(0);
    expect(await db.$count(requestLogs)).toBe(2);

    const again = await recordRun(jobContext(db, now + HOUR), ROLLUP_JOB, rollUpRequestLogs);
    expect(again.rowsTouched).toBe(0);

    // A day whose logs are gone is zeroed, not left stale.
    await db.delete(requestLogs);
    const zeroed = await recordRun(jobContext(db, now + 2 * HOUR), ROLLUP_JOB, rollUpRequestLogs);
    expect(zeroed.rowsTouched).toBe(1);
    const [after] = await db
      .select()
      .from(dailyStats)
      .where(eq(dailyStats.day, dayOf(now)));
    expect(after).toMatchObject({ requests: 0, status2xx: 0, p50DurationMs: null });
  });
};
