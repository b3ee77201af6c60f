import { z } from '@hono/zod-openapi';
import { EXAMPLE_ID, EXAMPLE_TIME, IdParamsSchema } from '../../lib/openapi';
import { PageQuerySchema, pageSchema, queryInteger } from '../../lib/pagination';

export const STATS_DAYS_MAX = 90;
export const STATS_DAYS_DEFAULT = 7;
/** The longest `?q=` of GET /admin/users (an email address can be 254 characters). */
export const USER_SEARCH_MAX_CHARS = 254;
/** The longest `?path=` prefix of GET /admin/request-logs. */
export const LOG_PATH_MAX_CHARS = 200;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

// ---- users ----

export const AdminUserSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    email: z.string().openapi({ example: 'ada@example.com' }),
    username: z.string().openapi({ example: 'ada_l' }),
    email_verified: z.boolean().openapi({ example: true }),
    is_active: z.boolean().openapi({
      description: 'false: the account cannot log in and its tokens are refused.',
      example: true,
    }),
    is_admin: z.boolean().openapi({ example: false }),
    post_count: z.number().int().min(0).openapi({ example: 12 }),
    like_count: z.number().int().min(0).openapi({
      description: 'Likes this user has given.',
      example: 40,
    }),
    created_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
    updated_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
  })
  .openapi('AdminUser', { description: 'An account as operators see it.' });

export type AdminUser = z.infer<typeof AdminUserSchema>;
export const AdminUserListSchema = pageSchema(AdminUserSchema, 'AdminUserList');

export const ListUsersQuery = PageQuerySchema.extend({
  q: z.string().trim().min(1).max(USER_SEARCH_MAX_CHARS).optional().openapi({
    description: 'Case-insensitive prefix of the username or the email address.',
    example: 'ada',
  }),
});

export const UserIdParams = IdParamsSchema;

export const UpdateUserBody = z
  .object({
    is_active: z.boolean().optional().openapi({
      description:
        'false deactivates: every session is revoked at once, tokens stop working and login is refused.',
      example: false,
    }),
    is_admin: z.boolean().optional().openapi({ example: false }),
  })
  .strict()
  .refine((b) => b.is_active !== undefined || b.is_admin !== undefined, {
    error: 'Send is_active, is_admin or both.',
  })
  .openapi('AdminUpdateUser', {
    description: 'Only these two fields are accepted; anything else is 422.',
    example: { is_active: false },
  });

// ---- request logs ----

export const RequestLogSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    created_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
    method: z.string().openapi({ example: 'GET' }),
    route: z.string().openapi({
      description: 'The route pattern that answered, or "(unmatched)".',
      example: '/api/v1/posts/:id',
    }),
    path: z.string().openapi({ example: `/api/v1/posts/${EXAMPLE_ID}` }),
    status: z.number().int().openapi({ example: 200 }),
    duration_ms: z.number().openapi({ example: 12.5 }),
    user_id: z.string().nullable().openapi({ example: EXAMPLE_ID }),
    username: z.string().nullable().openapi({ example: 'ada_l' }),
    request_id: z.string().openapi({ example: EXAMPLE_ID }),
    ip_hash: z.string().nullable().openapi({
      description: 'SHA-256 of a server secret and the client address: groups, never reveals.',
      example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    }),
    user_agent: z.string().nullable().openapi({ example: 'curl/8.5.0' }),
    country: z.string().nullable().openapi({ example: 'DE' }),
  })
  .openapi('RequestLog');

export const RequestLogListSchema = pageSchema(RequestLogSchema, 'RequestLogList');

const instant = (description: string) =>
  z.iso.datetime({ offset: true }).optional().openapi({ description, example: EXAMPLE_TIME });

export const ListRequestLogsQuery = PageQuerySchema.extend({
  method: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(HTTP_METHODS))
    .optional()
    .openapi({ description: 'HTTP method (any case).', example: 'POST' }),
  status: z
    .string()
    .regex(/^[1-5](\d\d|[xX]{2})$/, { error: 'a status code (404) or class (4xx)' })
    .optional()
    .openapi({ description: 'An exact status (404) or a class (4xx).', example: '4xx' }),
  path: z.string().startsWith('/').max(LOG_PATH_MAX_CHARS).optional().openapi({
    description: 'Path prefix, e.g. /api/v1/posts.',
    example: '/api/v1/posts',
  }),
  username: z.string().min(1).max(64).optional().openapi({
    description: 'Requests made by this user (case-insensitive).',
    example: 'ada_l',
  }),
  since: instant('Only requests at or after this time (RFC 3339).'),
  until: instant('Only requests before this time (RFC 3339).'),
});

export type RequestLogFilters = z.infer<typeof ListRequestLogsQuery>;

// ---- stats ----

export const StatsQuery = z.object({
  days: queryInteger(1, STATS_DAYS_MAX)
    .default(STATS_DAYS_DEFAULT)
    .openapi({
      description: `How many UTC days, today included (1..${STATS_DAYS_MAX}).`,
      example: STATS_DAYS_DEFAULT,
    }),
});

export const DayStatsSchema = z
  .object({
    day: z.iso.date().openapi({ example: '2026-11-23' }),
    requests: z.number().int().openapi({ example: 1520 }),
    status_2xx: z.number().int().openapi({ example: 1400 }),
    status_3xx: z.number().int().openapi({ example: 60 }),
    status_4xx: z.number().int().openapi({ example: 58 }),
    status_5xx: z.number().int().openapi({ example: 2 }),
    p50_duration_ms: z.number().nullable().openapi({
      description: 'Median duration (nearest rank); null on a day without requests.',
      example: 8.2,
    }),
    p95_duration_ms: z.number().nullable().openapi({ example: 41.7 }),
    signups: z.number().int().openapi({ example: 4 }),
    posts: z.number().int().openapi({ example: 31 }),
    likes: z.number().int().openapi({ example: 97 }),
  })
  .openapi('DayStats');

export const StatsSchema = z
  .object({
    from: z.iso.date().openapi({ example: '2026-11-17' }),
    to: z.iso.date().openapi({ example: '2026-11-23' }),
    days: z.array(DayStatsSchema).openapi({
      description: 'One entry per day, oldest first; days without activity are zeros.',
    }),
  })
  .openapi('Stats', {
    description:
      'Daily numbers from the hourly roll-up of request logs, so today lags by up to an hour.',
  });

// ---- failed jobs ----

export const FailedJobSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    queue: z.string().openapi({ example: 'ublog-jobs-dlq' }),
    message_id: z.string().nullable().openapi({ example: 'a1b2c3' }),
    type: z.string().openapi({ example: 'image.process' }),
    body: z.unknown().openapi({
      description: 'The message as it was queued; secrets such as tokens are redacted.',
      example: { type: 'image.process', image_key: 'u/0193.../0193....png' },
    }),
    error: z.string().openapi({ example: 'Retries exhausted: moved to the dead-letter queue.' }),
    attempts: z.number().int().openapi({ example: 6 }),
    failed_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
    retried_at: z.iso.datetime().nullable().openapi({ example: null }),
    retryable: z.boolean().openapi({
      description:
        'false when queueing it again cannot succeed: the job failed permanently (an image that cannot be decoded), or a secret such as a mailed token was removed when it was recorded.',
      example: true,
    }),
  })
  .openapi('FailedJob');

export const FailedJobListSchema = pageSchema(FailedJobSchema, 'FailedJobList');

export const FailedJobIdParams = UserIdParams;

export const RetryAcceptedSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    type: z.string().openapi({ example: 'image.process' }),
    retried_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
  })
  .openapi('FailedJobRetry', { description: 'The message is back on the jobs queue.' });

// ---- cron runs ----

export const JobRunSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    task: z.string().openapi({
      description:
        'purge_expired_tokens, blank_outbox_tokens, rollup_request_logs, sweep_orphan_images or reconcile_counters.',
      example: 'rollup_request_logs',
    }),
    started_at: z.iso.datetime().openapi({ example: EXAMPLE_TIME }),
    finished_at: z.iso.datetime().nullable().openapi({
      description: 'null while the task runs (or if its invocation died).',
      example: EXAMPLE_TIME,
    }),
    outcome: z.enum(['running', 'ok', 'error']).openapi({ example: 'ok' }),
    rows_touched: z.number().int().min(0).openapi({
      description: 'Rows the task changed, inserted or deleted (0 when there was nothing to do).',
      example: 12,
    }),
    detail: z.string().nullable().openapi({
      description: "The task's own summary, or the error message when it failed.",
      example: 'days 2026-11-22..2026-11-23 recomputed; 1 daily_stats rows changed',
    }),
  })
  .openapi('JobRun', { description: 'One run of a scheduled (cron) task.' });

export const JobRunListSchema = pageSchema(JobRunSchema, 'JobRunList');

export const ListJobRunsQuery = PageQuerySchema.extend({
  task: z
    .string()
    .regex(/^[a-z0-9_:]{1,100}$/, { error: 'a task name such as rollup_request_logs' })
    .optional()
    .openapi({ description: 'Only the runs of this task.', example: 'rollup_request_logs' }),
});
