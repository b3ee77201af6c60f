import type { Bindings } from '../env';
import { workerContext } from '../jobs';
import { purgeExpiredTokens } from './purge-tokens';
import { type CronTask, recordRun } from './run';

/** One task per cron expression in wrangler.toml [triggers]. */
export const CRON_TASKS: Record<string, { job: string; task: CronTask }> = {
  '*/15 * * * *': { job: 'purge_expired_tokens', task: purgeExpiredTokens },
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
