import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { dailyStats, sessions } from '../../src/db/schema';
import {
  findAdminUser,
  findFailedJob,
  listFailedJobs,
  listRequestLogs,
  listUsers,
  markRetried,
  readDailyStats,
  updateUserFlags,
} from '../../src/features/admin/admin.queries';
import { LOG_PATH_MAX_CHARS, USER_SEARCH_MAX_CHARS } from '../../src/features/admin/admin.schemas';
import { recordFailedJobs } from '../../src/jobs/failed-jobs';
import { newId } from '../../src/lib/ids';
import { insertLike, insertPost, insertRequestLog, insertSession, insertUser } from './fixtures';
import type { CaseSuite } from './harness';

const T0 = Date.UTC(2026, 6, 1);

/** The admin feature's queries. */
export const adminCases: CaseSuite = (engine) => {
  it('listUsers pages newest first with counts, and searches a literal prefix of name or email', async () => {
    const { db } = engine();
    const names = ['ann', 'an_d', 'andy', 'bob'];
    const made = [];
    for (const [i, username] of names.entries()) {
      made.push(
        await insertUser(db, {
          username,
          email: `${username === 'bob' ? 'anne' : username}@example.com`,
          createdAt: new Date(T0 + i * 1000),
        }),
      );
    }
    const post = await insertPost(db, made[0]!.id);
    await insertLike(db, post.id, made[0]!.id);
    const all = await listUsers(db, { limit: 10, after: null });
    expect(all.map((u) => u.username)).toEqual(['bob', 'andy', 'an_d', 'ann']);
    expect(all[3]).toMatchObject({ likeCount: 1, postCount: 0, isActive: true, isAdmin: false });
    const page = await listUsers(db, { limit: 1, after: null });
    expect(page).toHaveLength(2);
    const next = await listUsers(db, {
      limit: 10,
      after: { at: page[0]!.createdAt.getTime(), id: page[0]!.id },
    });
    expect(next.map((u) => u.username)).toEqual(['andy', 'an_d', 'ann']);
    // "_" and "%" are literal; the email matches too ("anne@" for bob).
    expect(
      (await listUsers(db, { q: 'AN_', limit: 10, after: null })).map((u) => u.username),
    ).toEqual(['an_d']);
    expect(
      (await listUsers(db, { q: 'ann', limit: 10, after: null })).map((u) => u.username),
    ).toEqual(['bob', 'ann']);
    expect(await listUsers(db, { q: '%', limit: 10, after: null })).toEqual([]);
  });

  // D1 refuses LIKE patterns over 50 bytes; the document allows far longer prefixes.
  it('listUsers and listRequestLogs search prefixes up to the documented maximum length', async () => {
    const { db } = engine();
    const domain = `${'d'.repeat(USER_SEARCH_MAX_CHARS - 64 - 1 - 4)}.com`;
    const longEmail = `${'a'.repeat(64)}@${domain}`;
    expect(longEmail).toHaveLength(USER_SEARCH_MAX_CHARS);
    const accented = 'é'.repeat(USER_SEARCH_MAX_CHARS);
    const ascii = await insertUser(db, { email: longEmail });
    const wide = await insertUser(db, { email: `${accented}x@example.com` });
    await insertUser(db, { email: `${'a'.repeat(63)}b@${domain}` });
    const emails = async (q: string) =>
      (await listUsers(db, { q, limit: 10, after: null })).map((u) => u.id);
    expect(await emails(longEmail.toUpperCase())).toEqual([ascii.id]);
    expect(await emails(accented)).toEqual([wide.id]);
    expect(await emails('a'.repeat(50))).toHaveLength(2);
    expect(await emails('é'.repeat(25))).toEqual([wide.id]);

    const longPath = `/${'p'.repeat(LOG_PATH_MAX_CHARS - 1)}`;
    const hit = await insertRequestLog(db, { path: `${longPath}/more` });
    await insertRequestLog(db, { path: `/${'p'.repeat(LOG_PATH_MAX_CHARS - 2)}q` });
    const paths = await listRequestLogs(db, { path: longPath, limit: 10, after: null });
    expect(paths.map((r) => r.id)).toEqual([hit.id]);
  });

  it('findAdminUser and updateUserFlags: deactivation revokes live sessions in the same batch', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const live = await insertSession(db, user.id);
    const earlier = new Date(T0 - 1000);
    const gone = await insertSession(db, user.id, { revokedAt: earlier });
    await updateUserFlags(db, { id: user.id, isAdmin: true, now: T0 });
    expect(await findAdminUser(db, user.id)).toMatchObject({
      isAdmin: true,
      isActive: true,
      updatedAt: new Date(T0),
    });
    expect(
      (await db.select().from(sessions).where(eq(sessions.id, live.id)))[0]?.revokedAt,
    ).toBeNull();
    await updateUserFlags(db, { id: user.id, isActive: false, now: T0 + 1 });
    expect(await findAdminUser(db, user.id)).toMatchObject({ isActive: false, isAdmin: true });
    const byId = new Map((await db.select().from(sessions)).map((s) => [s.id, s.revokedAt]));
    expect(byId.get(live.id)).toEqual(new Date(T0 + 1));
    expect(byId.get(gone.id)).toEqual(earlier);
    expect(await findAdminUser(db, newId())).toBeNull();
  });

  it('listRequestLogs filters by method, status class, path prefix, user and time, and pages', async () => {
    const { db } = engine();
    const log = (i: number, over: Parameters<typeof insertRequestLog>[1]) =>
      insertRequestLog(db, { createdAt: new Date(T0 + i * 1000), ...over });
    const a = await log(0, { method: 'GET', status: 200, path: '/api/v1/posts', username: 'Ada' });
    const b = await log(1, { method: 'POST', status: 201, path: '/api/v1/posts', username: 'ada' });
    const c = await log(2, { method: 'GET', status: 404, path: '/api/v1/post_s', username: null });
    const d = await log(3, { method: 'GET', status: 500, path: '/health', username: 'bob' });
    const ids = async (q: Partial<Parameters<typeof listRequestLogs>[1]>) =>
      (await listRequestLogs(db, { limit: 10, after: null, ...q })).map((r) => r.id);
    expect(await ids({})).toEqual([d.id, c.id, b.id, a.id]);
    expect(await ids({ method: 'POST' })).toEqual([b.id]);
    expect(await ids({ status: '2xx' })).toEqual([b.id, a.id]);
    expect(await ids({ status: '404' })).toEqual([c.id]);
    expect(await ids({ path: '/api/v1/post_' })).toEqual([c.id]);
    expect(await ids({ path: '/api/v1/posts' })).toEqual([b.id, a.id]);
    expect(await ids({ username: 'ADA' })).toEqual([b.id, a.id]);
    const since = new Date(T0 + 1000).toISOString();
    const until = new Date(T0 + 3000).toISOString();
    expect(await ids({ since, until })).toEqual([c.id, b.id]);
    expect(await ids({ after: { at: T0 + 2000, id: c.id } })).toEqual([b.id, a.id]);
    const limited = await listRequestLogs(db, { limit: 1, after: null });
    expect(limited).toHaveLength(2);
  });

  it('readDailyStats returns the days in the inclusive range', async () => {
    const { db } = engine();
    const row = (day: string, requests: number) => ({ day, requests, updatedAt: new Date(T0) });
    await db
      .insert(dailyStats)
      .values([row('2026-06-30', 1), row('2026-07-01', 2), row('2026-07-02', 3)]);
    const days = await readDailyStats(db, '2026-07-01', '2026-07-02');
    expect(days.map((d) => [d.day, d.requests]).sort()).toEqual([
      ['2026-07-01', 2],
      ['2026-07-02', 3],
    ]);
    expect(days[0]).toMatchObject({ status2xx: 0, p50DurationMs: null, signups: 0 });
  });

  it('listFailedJobs pages newest first; findFailedJob; markRetried', async () => {
    const { db } = engine();
    const input = (n: number) => ({
      queue: 'ublog-jobs-dlq',
      messageId: `m${n}`,
      body: { type: 'email.send', n },
      error: 'boom',
      attempts: 5,
    });
    await recordFailedJobs(db, [input(1)], T0);
    await recordFailedJobs(db, [input(2)], T0 + 1000);
    await recordFailedJobs(db, [input(3)], T0 + 2000);
    const first = await listFailedJobs(db, { limit: 2, after: null });
    expect(first.map((j) => j.messageId)).toEqual(['m3', 'm2', 'm1']);
    const rest = await listFailedJobs(db, {
      limit: 2,
      after: { at: first[1]!.failedAt.getTime(), id: first[1]!.id },
    });
    expect(rest.map((j) => j.messageId)).toEqual(['m1']);
    const job = await findFailedJob(db, first[0]!.id);
    expect(job).toMatchObject({ messageId: 'm3', retriedAt: null, type: 'email.send' });
    await markRetried(db, first[0]!.id, T0 + 5000);
    expect((await findFailedJob(db, first[0]!.id))?.retriedAt).toEqual(new Date(T0 + 5000));
    expect(await findFailedJob(db, newId())).toBeNull();
  });
};
