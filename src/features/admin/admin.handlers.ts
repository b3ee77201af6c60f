import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { JobMessage } from '../../jobs/messages';
import { currentUser } from '../../lib/auth';
import { assertIfMatch, etagOf } from '../../lib/etag';
import { keysetPage } from '../../lib/pagination';
import { notFound, unprocessable } from '../../lib/problem';
import { redact } from '../../lib/redact';
import { DAY_MS } from '../../lib/time';
import {
  type AdminUserRow,
  findAdminUser,
  findFailedJob,
  listFailedJobs as listFailedJobRows,
  listJobRuns as listJobRunRows,
  listRequestLogs as listRequestLogRows,
  listUsers as listUserRows,
  markRetried,
  readDailyStats,
  updateUserFlags,
} from './admin.queries';
import type * as routes from './admin.routes';
import type { AdminUser } from './admin.schemas';

const userNotFound = () => notFound('No account has this id.', 'user_not_found');
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** The UTC day of an epoch-millisecond time, as daily_stats keys it (YYYY-MM-DD). */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function toAdminUser(row: AdminUserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    email_verified: row.emailVerified,
    is_active: row.isActive,
    is_admin: row.isAdmin,
    post_count: Number(row.postCount),
    like_count: Number(row.likeCount),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const listUsers: RouteHandler<typeof routes.listUsers, AppEnv> = async (c) => {
  const { q, limit, cursor } = c.req.valid('query');
  const page = await keysetPage(c, {
    scope: JSON.stringify(['admin.users', q?.toLowerCase() ?? null]),
    cursor,
    limit,
    fetch: (after) => listUserRows(c.get('db'), { q, limit, after }),
    positionOf: (r) => ({ at: r.createdAt.getTime(), id: r.id }),
    render: toAdminUser,
  });
  return c.json(page, 200);
};

export const updateUser: RouteHandler<typeof routes.updateUser, AppEnv> = async (c) => {
  const auth = currentUser(c);
  const { id } = c.req.valid('param');
  const body = c.req.valid('json');
  const db = c.get('db');
  if (id === auth.userId && (body.is_active === false || body.is_admin === false)) {
    const field = body.is_active === false ? 'is_active' : 'is_admin';
    throw unprocessable(
      'Administrators cannot deactivate or demote themselves.',
      'cannot_change_self',
      {
        errors: [{ path: `/body/${field}`, message: 'Ask another administrator to do this.' }],
      },
    );
  }
  const current = await findAdminUser(db, id);
  if (!current) throw userNotFound();
  await assertIfMatch(c.req.valid('header')['if-match'], toAdminUser(current));
  await updateUserFlags(db, {
    id,
    isActive: body.is_active,
    isAdmin: body.is_admin,
    now: Date.now(),
  });
  const updated = await findAdminUser(db, id);
  if (!updated) throw userNotFound();
  const item = toAdminUser(updated);
  c.header('ETag', await etagOf(item));
  return c.json(item, 200);
};

export const listRequestLogs: RouteHandler<typeof routes.listRequestLogs, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid('query');
  const page = await keysetPage(c, {
    scope: JSON.stringify(['admin.request-logs', filters]),
    cursor,
    limit,
    fetch: (after) => listRequestLogRows(c.get('db'), { ...filters, limit, after }),
    positionOf: (r) => ({ at: r.createdAt.getTime(), id: r.id }),
    render: (r) => ({
      id: r.id,
      created_at: r.createdAt.toISOString(),
      method: r.method,
      route: r.route,
      path: r.path,
      status: r.status,
      duration_ms: r.durationMs,
      user_id: r.userId,
      username: r.username,
      request_id: r.requestId,
      ip_hash: r.ipHash,
      user_agent: r.userAgent,
      country: r.country,
    }),
  });
  return c.json(page, 200);
};

export const getStats: RouteHandler<typeof routes.getStats, AppEnv> = async (c) => {
  const { days } = c.req.valid('query');
  const now = Date.now();
  const dates = Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * DAY_MS));
  const from = dates[0] ?? dayOf(now);
  const to = dayOf(now);
  const rows = new Map(
    (await readDailyStats(c.get('db'), from, to)).map((r) => [r.day, r] as const),
  );
  return c.json(
    {
      from,
      to,
      days: dates.map((day) => {
        const r = rows.get(day);
        return {
          day,
          requests: r?.requests ?? 0,
          status_2xx: r?.status2xx ?? 0,
          status_3xx: r?.status3xx ?? 0,
          status_4xx: r?.status4xx ?? 0,
          status_5xx: r?.status5xx ?? 0,
          p50_duration_ms: r?.p50DurationMs ?? null,
          p95_duration_ms: r?.p95DurationMs ?? null,
          signups: r?.signups ?? 0,
          posts: r?.posts ?? 0,
          likes: r?.likes ?? 0,
        };
      }),
    },
    200,
  );
};

export const listFailedJobs: RouteHandler<typeof routes.listFailedJobs, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const page = await keysetPage(c, {
    scope: JSON.stringify(['admin.failed-jobs']),
    cursor,
    limit,
    fetch: (after) => listFailedJobRows(c.get('db'), { limit, after }),
    positionOf: (r) => ({ at: r.failedAt.getTime(), id: r.id }),
    render: (r) => ({
      id: r.id,
      queue: r.queue,
      message_id: r.messageId,
      type: r.type,
      body: redact(parseJson(r.body)),
      error: r.error,
      attempts: r.attempts,
      failed_at: r.failedAt.toISOString(),
      retried_at: iso(r.retriedAt),
      retryable: r.retryable,
    }),
  });
  return c.json(page, 200);
};

export const retryFailedJob: RouteHandler<typeof routes.retryFailedJob, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.get('db');
  const row = await findFailedJob(db, id);
  if (!row) throw notFound('No failed job has this id.', 'failed_job_not_found');
  if (!row.retryable) {
    throw unprocessable(
      'This job cannot succeed if queued again: it failed permanently (its input cannot be processed), or a secret such as a mailed token was removed when it was recorded (the user can ask for a new one).',
      'not_retryable',
    );
  }
  const message = JobMessage.safeParse(parseJson(row.body));
  if (!message.success) {
    throw unprocessable(
      'The stored message matches no job type, so queueing it again cannot succeed.',
      'not_retryable',
    );
  }
  await c.env.JOBS.send(message.data);
  const now = Date.now();
  await markRetried(db, id, now);
  return c.json({ id, type: message.data.type, retried_at: new Date(now).toISOString() }, 202);
};

export const listJobRuns: RouteHandler<typeof routes.listJobRuns, AppEnv> = async (c) => {
  const { limit, cursor, task } = c.req.valid('query');
  const page = await keysetPage(c, {
    scope: JSON.stringify(['admin.job-runs', task ?? null]),
    cursor,
    limit,
    fetch: (after) => listJobRunRows(c.get('db'), { task, limit, after }),
    positionOf: (r) => ({ at: r.startedAt.getTime(), id: r.id }),
    render: (r) => ({
      id: r.id,
      task: r.job,
      started_at: r.startedAt.toISOString(),
      finished_at: iso(r.finishedAt),
      outcome: r.outcome,
      rows_touched: r.rowsTouched,
      detail: r.detail,
    }),
  });
  return c.json(page, 200);
};
