import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordRun } from '../../src/cron/run';
import { createDatabase } from '../../src/db/client';
import workerModule from '../../src/index';
import { workerContext } from '../../src/jobs';
import { describeError, errorSummary } from '../../src/lib/log';
import { uniqueIp, uniqueName } from '../support/auth';
import { post } from '../support/http';

// Everything the Worker writes to the console during a test, as one text.
const LEVELS = ['error', 'warn', 'log', 'info', 'debug'] as const;
let logged: string[] = [];
const logText = () => logged.join('\n');

beforeEach(() => {
  logged = [];
  for (const level of LEVELS) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

/** Runs `work` while `table` is renamed away, so every query on it fails. */
async function withTableGone(table: string, work: () => Promise<void>) {
  await env.DB.prepare(`alter table ${table} rename to ${table}_gone`).run();
  try {
    await work();
  } finally {
    await env.DB.prepare(`alter table ${table}_gone rename to ${table}`).run();
  }
}

describe('a failed query is logged without its bound values', () => {
  it('onError: the SQL text and the driver error, never the email that was bound', async () => {
    const email = `${uniqueName('leak')}@secret.example`;
    await withTableGone('users', async () => {
      const res = await post(
        '/api/v1/auth/login',
        { email, password: 'a password that is secret' },
        { headers: { 'CF-Connecting-IP': uniqueIp() } },
      );
      expect(res.status).toBe(500);
    });
    const text = logText();
    expect(text).toMatch(/from \\?"users\\?"/); // the SQL text is there
    expect(text).toContain('no such table'); // and the driver's error
    expect(text).not.toContain(email);
    expect(text).not.toContain('a password that is secret');
  });

  it('a failed password reset (after the response) logs no email', async () => {
    const email = `${uniqueName('reset')}@secret.example`;
    await withTableGone('users', async () => {
      const res = await post(
        '/api/v1/auth/password-reset',
        { email },
        { headers: { 'CF-Connecting-IP': uniqueIp() } },
      );
      expect(res.status).toBe(202);
      await vi.waitFor(() => expect(logText()).toContain('password_reset_failed'));
    });
    expect(logText()).toContain('no such table');
    expect(logText()).not.toContain(email);
  });

  it('a failing job logs neither the address nor the token it was sending', async () => {
    const to = `${uniqueName('mail')}@secret.example`;
    const token = `tok_${crypto.randomUUID()}`;
    const batch = createMessageBatch('ublog-jobs', [
      {
        id: 'secret-mail-1',
        timestamp: new Date(),
        attempts: 1,
        body: {
          type: 'email.send',
          id: crypto.randomUUID(),
          to,
          template: 'password_reset',
          data: { username: 'someone', token },
        },
      },
    ]);
    const ctx = createExecutionContext();
    await withTableGone('email_outbox', async () => {
      await workerModule.queue(batch, env, ctx);
    });
    expect((await getQueueResult(batch, ctx)).retryMessages).toHaveLength(1);
    const text = logText();
    expect(text).toContain('email_outbox');
    expect(text).not.toContain(to);
    expect(text).not.toContain(token);
  });

  it('a failing cron task: log, job_runs.detail and the rethrown error hold no bound value', async () => {
    const secret = `secret-${crypto.randomUUID()}`;
    const ctx = await workerContext(env);
    const failure = await recordRun(ctx, 'leaky_task', async ({ db }) => {
      await db.run(sql`select * from no_such_table where value = ${secret}`);
      return { rowsTouched: 0 };
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(`${(failure as Error).message}\n${(failure as Error).stack}`).not.toContain(secret);
    const run = await env.DB.prepare("select detail from job_runs where job = 'leaky_task'").first<{
      detail: string;
    }>();
    expect(run?.detail).toContain('no such table');
    expect(run?.detail).not.toContain(secret);
    expect(logText()).toContain('no such table');
    expect(logText()).not.toContain(secret);
  });
});

describe('describeError', () => {
  it('keeps the query and the cause of a drizzle error and drops its parameters', async () => {
    const secret = `s3cret-${crypto.randomUUID()}`;
    const err = await createDatabase(env.DB)
      .run(sql`select * from no_such_table where value = ${secret}`)
      .catch((e: unknown) => e);
    const described = JSON.stringify(describeError(err));
    expect(described).toContain('select * from no_such_table where value = ?');
    expect(described).toContain('no such table');
    expect(described).not.toContain(secret);
  });

  it('scrubs a bound value that the driver error itself repeats', () => {
    const secret = 'hunter2-very-secret';
    const cause = new Error(`D1_TYPE_ERROR: Type 'object' not supported for value '${secret}'`);
    const err = new DrizzleQueryError('select ?', [secret], cause);
    const described = JSON.stringify(describeError(err));
    expect(described).toContain('D1_TYPE_ERROR');
    expect(described).not.toContain(secret);
    expect(errorSummary(err)).not.toContain(secret);
  });
});
