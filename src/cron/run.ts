import { eq } from 'drizzle-orm';
import { jobRuns } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import { newId } from '../lib/ids';
import { errorSummary, logError, withoutBoundValues } from '../lib/log';

export interface TaskResult {
  rowsTouched: number;
  detail?: string;
}

export type CronTask = (ctx: WorkerContext) => Promise<TaskResult>;

/** Runs a task and leaves a job_runs row: started, finished, rows touched, outcome. */
export async function recordRun(
  ctx: WorkerContext,
  job: string,
  task: CronTask,
): Promise<TaskResult> {
  const id = newId(ctx.now());
  await ctx.db
    .insert(jobRuns)
    .values({ id, job, startedAt: new Date(ctx.now()), outcome: 'running' });
  try {
    const result = await task(ctx);
    await ctx.db
      .update(jobRuns)
      .set({
        finishedAt: new Date(ctx.now()),
        outcome: 'ok',
        rowsTouched: result.rowsTouched,
        detail: result.detail ?? null,
      })
      .where(eq(jobRuns.id, id));
    return result;
  } catch (err) {
    logError({ cron_job: job, run_id: id }, err);
    await ctx.db
      .update(jobRuns)
      .set({
        finishedAt: new Date(ctx.now()),
        outcome: 'error',
        detail: errorSummary(err).slice(0, 2000),
      })
      .where(eq(jobRuns.id, id));
    // The platform logs what a scheduled handler throws: never a query's bound values.
    throw withoutBoundValues(err);
  }
}
