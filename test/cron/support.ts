import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import workerModule from '../../src/index';
import { newId } from '../../src/lib/ids';

/** Runs one cron trigger through the Worker's scheduled handler, as the platform would. */
export async function runCron(cron: string) {
  const controller = createScheduledController({ cron, scheduledTime: Date.now() });
  await workerModule.scheduled(controller, env, createExecutionContext());
}

export interface JobRunRow {
  job: string;
  outcome: string;
  rows_touched: number;
  detail: string | null;
  finished_at: number | null;
}

export const runsOf = async (job: string) =>
  (
    await env.DB.prepare(
      'select job, outcome, rows_touched, detail, finished_at from job_runs where job = ? order by started_at, id',
    )
      .bind(job)
      .all<JobRunRow>()
  ).results;

export const lastRun = async (job: string) => (await runsOf(job)).at(-1);

export async function insertLog(at: number, status: number, durationMs: number) {
  await env.DB.prepare(
    `insert into request_logs (id, created_at, method, route, path, status, duration_ms, request_id)
     values (?, ?, 'GET', '/api/v1/posts', '/api/v1/posts', ?, ?, ?)`,
  )
    .bind(newId(at), at, status, durationMs, newId())
    .run();
}

export async function insertPost(userId: string, at: number, likeCount = 0) {
  const id = newId(at);
  await env.DB.prepare(
    'insert into posts (id, user_id, body, like_count, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
  )
    .bind(id, userId, 'hello', likeCount, at, at)
    .run();
  return id;
}

export async function insertLike(postId: string, userId: string, at: number) {
  await env.DB.prepare('insert into likes (post_id, user_id, created_at) values (?, ?, ?)')
    .bind(postId, userId, at)
    .run();
}

export const tableSnapshot = async (table: string) =>
  (await env.DB.prepare(`select * from ${table} order by 1`).all()).results;
