import type { Bindings } from '../env';
import { workerContext } from '../jobs';
import { BLANK_OUTBOX_JOB, blankOutboxTokens } from './blank-outbox';
import { purgeExpiredTokens } from './purge-tokens';
import { RECONCILE_JOB, reconcileCounters } from './reconcile-counters';
import { ROLLUP_JOB, rollUpRequestLogs } from './rollup-request-logs';
import { type CronTask, recordRun } from './run';
import { SWEEP_JOB, sweepOrphanImages } from './sweep-orphan-images';

/** The tasks of each cron expression in wrangler.toml [triggers], run in this order. */
export const CRON_TASKS: Record<string, { job: string; task: CronTask }[]> = {
  '*/15 * * * *': [
    { job: 'purge_expired_tokens', task: purgeExpiredTokens },
    { job: BLANK_OUTBOX_JOB, task: blankOutboxTokens },
  ],
  '5 * * * *': [{ job: ROLLUP_JOB, task: rollUpRequestLogs }],
  '30 3 * * *': [{ job: SWEEP_JOB, task: sweepOrphanImages }],
  '45 3 * * *': [{ job: RECONCILE_JOB, task: reconcileCounters }],
};

/**
 * Runs the tasks of a trigger, each recorded in job_runs. One failing does not stop the
 * others; the first failure is rethrown so the platform marks the invocation failed.
 */
export async function handleScheduled(
  controller: ScheduledController,
  env: Bindings,
): Promise<void> {
  const ctx = await workerContext(env);
  const entries = CRON_TASKS[controller.cron];
  if (!entries) {
    await recordRun(ctx, `unknown_cron:${controller.cron}`, async () => {
      throw new Error(`No task is scheduled for cron "${controller.cron}"`);
    }).catch(() => undefined);
    return;
  }
  const failures: unknown[] = [];
  for (const entry of entries) {
    await recordRun(ctx, entry.job, entry.task).catch((err: unknown) => failures.push(err));
  }
  if (failures.length > 0) throw failures[0];
}
