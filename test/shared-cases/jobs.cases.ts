import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { BLANKED_TEXT, blankOutboxTokens } from '../../src/cron/blank-outbox';
import { purgeExpiredTokens } from '../../src/cron/purge-tokens';
import { recordRun } from '../../src/cron/run';
import {
  emailOutbox,
  failedJobs,
  idempotencyKeys,
  jobRuns,
  oneTimeTokens,
  requestLogs,
  sessions,
} from '../../src/db/schema';
import { pingDatabase } from '../../src/features/health/health.queries';
import { sendEmail } from '../../src/jobs/email';
import { failedJobRow, recordFailedJobs } from '../../src/jobs/failed-jobs';
import type { RequestLogEntry } from '../../src/jobs/messages';
import { insertRequestLogs } from '../../src/jobs/request-logs';
import { newId } from '../../src/lib/ids';
import { insertOneTimeToken, insertSession, insertUser } from './fixtures';
import { type CaseSuite, jobContext } from './harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const logEntry = (i: number, at: number): RequestLogEntry => ({
  id: newId(at + i),
  created_at: at + i,
  method: 'GET',
  route: '/api/v1/posts',
  path: `/api/v1/posts?page=${i}`,
  status: 200,
  duration_ms: 3.5,
  user_id: null,
  username: null,
  request_id: newId(),
  ip_hash: 'abc',
  user_agent: 'vitest',
  country: 'NL',
});

export const jobsCases: CaseSuite = (engine) => {
  it('pingDatabase answers true', async () => {
    expect(await pingDatabase(engine().db)).toBe(true);
  });

  it('purgeExpiredTokens deletes only what is expired, used or old, and counts it', async () => {
    const { db } = engine();
    const now = Date.UTC(2026, 3, 1, 12);
    const user = await insertUser(db);
    const expired = await insertSession(db, user.id, { expiresAt: new Date(now - 1) });
    const live = await insertSession(db, user.id, { expiresAt: new Date(now + HOUR) });
    // Revoked but not yet expired: kept for reuse detection.
    const revoked = await insertSession(db, user.id, {
      expiresAt: new Date(now + HOUR),
      revokedAt: new Date(now - HOUR),
    });
    const used = await insertOneTimeToken(db, user.id, {
      expiresAt: new Date(now + HOUR),
      usedAt: new Date(now - 1),
    });
    const stale = await insertOneTimeToken(db, user.id, { expiresAt: new Date(now - 1) });
    const fresh = await insertOneTimeToken(db, user.id, { expiresAt: new Date(now + HOUR) });
    const key = (k: string, createdAt: number) => ({
      userId: user.id,
      key: k,
      method: 'POST',
      path: '/api/v1/posts',
      requestHash: 'h',
      state: 'completed' as const,
      createdAt: new Date(createdAt),
    });
    await db.insert(idempotencyKeys).values([key('old', now - DAY - 1), key('new', now - HOUR)]);

    const result = await purgeExpiredTokens(jobContext(db, now));

    expect(result.rowsTouched).toBe(4);
    const sessionIds = (await db.select({ id: sessions.id }).from(sessions)).map((r) => r.id);
    expect(sessionIds.sort()).toEqual([live.id, revoked.id].sort());
    expect(sessionIds).not.toContain(expired.id);
    const tokenIds = (await db.select({ id: oneTimeTokens.id }).from(oneTimeTokens)).map(
      (r) => r.id,
    );
    expect(tokenIds).toEqual([fresh.id]);
    expect(tokenIds).not.toContain(used.id);
    expect(tokenIds).not.toContain(stale.id);
    const keys = (await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys)).map(
      (r) => r.key,
    );
    expect(keys).toEqual(['new']);
    expect((await purgeExpiredTokens(jobContext(db, now))).rowsTouched).toBe(0);
  });

  it('recordRun leaves an ok row with the rows touched, and an error row when the task throws', async () => {
    const { db } = engine();
    const ctx = jobContext(db, Date.UTC(2026, 3, 1));
    await recordRun(ctx, 'demo_ok', async () => ({ rowsTouched: 7, detail: 'fine' }));
    await expect(
      recordRun(ctx, 'demo_fail', async () => {
        throw new Error('task broke');
      }),
    ).rejects.toThrow('task broke');
    const [ok] = await db.select().from(jobRuns).where(eq(jobRuns.job, 'demo_ok'));
    expect(ok).toMatchObject({ outcome: 'ok', rowsTouched: 7, detail: 'fine' });
    expect(ok?.finishedAt).toEqual(new Date(Date.UTC(2026, 3, 1)));
    const [failed] = await db.select().from(jobRuns).where(eq(jobRuns.job, 'demo_fail'));
    expect(failed).toMatchObject({ outcome: 'error', rowsTouched: 0, detail: 'task broke' });
  });

  it('recordFailedJobs stores every message, in statements under the parameter limit', async () => {
    const { db } = engine();
    const now = Date.UTC(2026, 3, 1);
    const inputs = Array.from({ length: 23 }, (_, i) => ({
      queue: 'ublog-jobs-dlq',
      messageId: `m${i}`,
      body: i === 0 ? 'not an object' : { type: 'email.send', n: i },
      error: 'x'.repeat(3000),
      attempts: 5,
    }));
    await recordFailedJobs(db, inputs, now);
    await recordFailedJobs(db, [], now);
    const rows = await db.select().from(failedJobs);
    expect(rows).toHaveLength(23);
    const first = rows.find((r) => r.messageId === 'm0');
    expect(first).toMatchObject({ type: 'unknown', body: '"not an object"', attempts: 5 });
    expect(first?.error).toHaveLength(2000);
    expect(rows.find((r) => r.messageId === 'm1')?.type).toBe('email.send');
    expect(failedJobRow(inputs[1]!, now).failedAt).toEqual(new Date(now));
  });

  it('insertRequestLogs writes a whole batch once, even when the message is redelivered', async () => {
    const { db } = engine();
    const at = Date.UTC(2026, 3, 1);
    const job = {
      type: 'request_log.batch' as const,
      entries: Array.from({ length: 30 }, (_, i) => logEntry(i, at)),
    };
    await insertRequestLogs(job, jobContext(db));
    await insertRequestLogs(job, jobContext(db));
    expect(await db.$count(requestLogs)).toBe(30);
    const [row] = await db.select().from(requestLogs).where(eq(requestLogs.id, job.entries[3]!.id));
    expect(row).toMatchObject({
      createdAt: new Date(at + 3),
      path: '/api/v1/posts?page=3',
      durationMs: 3.5,
      userId: null,
      country: 'NL',
    });
  });

  it('sendEmail puts one outbox row per message id, even when delivered twice', async () => {
    const { db } = engine();
    const job = {
      type: 'email.send' as const,
      id: newId(),
      to: 'ada@example.com',
      template: 'password_reset' as const,
      data: { username: 'ada', token: 'tok-123' },
    };
    await sendEmail(job, jobContext(db));
    await sendEmail(job, jobContext(db));
    const rows = await db.select().from(emailOutbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: job.id,
      to: 'ada@example.com',
      template: 'password_reset',
    });
    expect(rows[0]?.text).toContain('tok-123');
  });

  it('recordFailedJobs keeps one row per (queue, message id) and stores secrets redacted', async () => {
    const { db } = engine();
    const now = Date.UTC(2026, 3, 1);
    const mail = {
      queue: 'ublog-jobs-dlq',
      messageId: 'm-mail',
      body: { type: 'email.send', data: { token: 'tok-secret' } },
      error: 'Retries exhausted',
      attempts: 6,
    };
    await recordFailedJobs(db, [mail], now);
    await recordFailedJobs(db, [mail, { ...mail, queue: 'ublog-jobs' }], now + 1);
    const rows = await db.select().from(failedJobs);
    expect(rows.map((r) => [r.queue, r.messageId]).sort()).toEqual([
      ['ublog-jobs', 'm-mail'],
      ['ublog-jobs-dlq', 'm-mail'],
    ]);
    for (const row of rows) {
      expect(row.body).not.toContain('tok-secret');
      expect(row.retryable).toBe(false);
    }
  });

  it('blankOutboxTokens blanks the text of outbox mail older than 48 h, once', async () => {
    const { db } = engine();
    const now = Date.UTC(2026, 3, 10);
    const mail = (id: string, ageHours: number) => ({
      id,
      to: 'ada@example.com',
      template: 'welcome',
      subject: 'Welcome',
      text: 'token: tok-123',
      createdAt: new Date(now - ageHours * HOUR),
    });
    await db.insert(emailOutbox).values([mail('old', 49), mail('new', 47)]);
    expect((await blankOutboxTokens(jobContext(db, now))).rowsTouched).toBe(1);
    expect((await blankOutboxTokens(jobContext(db, now))).rowsTouched).toBe(0);
    const texts = Object.fromEntries(
      (await db.select().from(emailOutbox)).map((r) => [r.id, r.text]),
    );
    expect(texts).toEqual({ old: BLANKED_TEXT, new: 'token: tok-123' });
  });
};
