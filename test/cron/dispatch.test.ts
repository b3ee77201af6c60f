import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import workerModule from '../../src/index';

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
    for (const [cron, { job }] of Object.entries(CRON_TASKS)) {
      await runCron(cron);
      const { results } = await runsOf(job);
      expect(results.at(-1)?.outcome, job).toBe('ok');
      expect(results.at(-1)?.finished_at, job).not.toBeNull();
    }
  });
});
