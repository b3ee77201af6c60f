import { eq } from 'drizzle-orm';
import { jobRuns } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import { newId } from '../lib/ids';

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
    await ctx.db
      .update(jobRuns)
      .set({
        finishedAt: new Date(ctx.now()),
        outcome: 'error',
        detail: err instanceof Error ? err.message.slice(0, 2000) : String(err),
      })
      .where(eq(jobRuns.id, id));
    throw err;
  }
}
