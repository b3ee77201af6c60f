import type { Bindings } from '../env';
import { workerContext } from '../jobs';
import { purgeExpiredTokens } from './purge-tokens';
import { RECONCILE_JOB, reconcileCounters } from './reconcile-counters';
import { ROLLUP_JOB, rollUpRequestLogs } from './rollup-request-logs';
import { type CronTask, recordRun } from './run';
import { SWEEP_JOB, sweepOrphanImages } from './sweep-orphan-images';

/** One task per cron expression in wrangler.toml [triggers]. */
export const CRON_TASKS: Record<string, { job: string; task: CronTask }> = {
  '*/15 * * * *': { job: 'purge_expired_tokens', task: purgeExpiredTokens },
  '5 * * * *': { job: ROLLUP_JOB, task: rollUpRequestLogs },
  '30 3 * * *': { job: SWEEP_JOB, task: sweepOrphanImages },
  '45 3 * * *': { job: RECONCILE_JOB, task: reconcileCounters },
};

export async function handleScheduled(
  controller: ScheduledController,
  env: Bindings,
): Promise<void> {
  const ctx = workerContext(env);
  const entry = CRON_TASKS[controller.cron];
  if (!entry) {
    await recordRun(ctx, `unknown_cron:${controller.cron}`, async () => {
      throw new Error(`No task is scheduled for cron "${controller.cron}"`);
    }).catch(() => undefined);
    return;
  }
  await recordRun(ctx, entry.job, entry.task);
}
