import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import workerModule from '../../src/index';
import { newId } from '../../src/lib/ids';
import { createUser } from '../support/direct-users';
import { insertLike, insertLog, insertPost, tableSnapshot } from './support';

// The module itself: queue batches and controllers cannot cross the exports RPC boundary.
const worker = workerModule;

const runCron = async (cron: string) => {
  const controller = createScheduledController({ cron, scheduledTime: Date.now() });
  await worker.scheduled(controller, env, createExecutionContext());
};

const runsOf = (job: string) =>
  env.DB.prepare('select job, outcome, rows_touched, finished_at from job_runs where job = ?')
    .bind(job)
    .all<{ job: string; outcome: string; rows_touched: number; finished_at: number | null }>();

describe('scheduled dispatcher', () => {
  it('records an unknown cron expression as a failed run', async () => {
    await runCron('1 2 3 4 5');
    const { results } = await runsOf('unknown_cron:1 2 3 4 5');
    expect(results).toHaveLength(1);
    expect(results[0]?.outcome).toBe('error');
  });

  it('has one task for each cron in wrangler.toml [triggers]', async () => {
    const { CRON_TASKS } = await import('../../src/cron');
    expect(Object.keys(CRON_TASKS).sort()).toEqual(
      ['*/15 * * * *', '5 * * * *', '30 3 * * *', '45 3 * * *'].sort(),
    );
  });

  it('runs every cron declared in wrangler.toml and records each run', async () => {
    const { CRON_TASKS } = await import('../../src/cron');
    for (const [cron, tasks] of Object.entries(CRON_TASKS)) {
      await runCron(cron);
      for (const { job } of tasks) {
        const { results } = await runsOf(job);
        expect(results.at(-1)?.outcome, job).toBe('ok');
        expect(results.at(-1)?.finished_at, job).not.toBeNull();
      }
    }
  });

  it('every task, run twice in a row, changes nothing the second time', async () => {
    const { CRON_TASKS } = await import('../../src/cron');
    // Work for each task: an expired session, a request log, a drifted like counter, old mail.
    const user = await createUser();
    const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
    await env.DB.prepare(
      `insert into sessions (id, user_id, family_id, token_hash, expires_at, created_at)
       values (?, ?, ?, ?, ?, ?)`,
    )
      .bind(newId(), user.id, newId(), `hash-${newId()}`, dayAgo, dayAgo - 1000)
      .run();
    await insertLog(dayAgo, 200, 12);
    const postId = await insertPost(user.id, dayAgo, 7);
    await insertLike(postId, user.id, dayAgo);
    await env.DB.prepare(
      `insert into email_outbox (id, "to", template, subject, text, created_at)
       values (?, 'ada@example.com', 'welcome', 'Welcome', 'token: t', ?)`,
    )
      .bind(newId(), Date.now() - 3 * 24 * 60 * 60 * 1000)
      .run();

    const tables = [
      'sessions',
      'daily_stats',
      'request_logs',
      'posts',
      'profiles',
      'images',
      'email_outbox',
    ];
    const snapshot = async () => Promise.all(tables.map(tableSnapshot));
    const first: Record<string, number> = {};
    for (const [cron, tasks] of Object.entries(CRON_TASKS)) {
      await runCron(cron);
      for (const { job } of tasks) {
        first[job] = (await runsOf(job)).results.at(-1)?.rows_touched ?? -1;
      }
    }
    expect(Object.values(first).some((n) => n > 0)).toBe(true);
    const before = await snapshot();
    for (const [cron, tasks] of Object.entries(CRON_TASKS)) {
      await runCron(cron);
      for (const { job } of tasks) {
        const last = (await runsOf(job)).results.at(-1);
        expect(last, job).toMatchObject({ outcome: 'ok', rows_touched: 0 });
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
