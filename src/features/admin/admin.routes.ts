import { createRoute, type z } from '@hono/zod-openapi';
import { EtagHeader, IfMatchHeaderSchema, notModifiedResponse } from '../../lib/etag';
import { bearerSecurity, jsonBody, problemResponses } from '../../lib/openapi';
import { LinkHeader, PageQuerySchema } from '../../lib/pagination';
import {
  AdminUserListSchema,
  AdminUserSchema,
  FailedJobIdParams,
  FailedJobListSchema,
  JobRunListSchema,
  ListJobRunsQuery,
  ListRequestLogsQuery,
  ListUsersQuery,
  RequestLogListSchema,
  RetryAcceptedSchema,
  StatsQuery,
  StatsSchema,
  UpdateUserBody,
  UserIdParams,
} from './admin.schemas';

const ADMIN_ONLY = 'Administrators only: 401 without a token, 403 for other accounts.';

type Headers = Record<string, { description: string; schema: { type: 'string' } }>;

const json = <T extends z.ZodType>(
  schema: T,
  description: string,
  headers: Headers = EtagHeader,
) => ({
  description,
  headers,
  content: { 'application/json': { schema } },
});

// The guard itself is applied once, to the whole router (./index.ts).
const adminRoute = {
  tags: ['Admin'],
  security: bearerSecurity,
};

export const listUsers = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/users',
  operationId: 'adminListUsers',
  summary: 'List accounts',
  description: `Every account, newest first, with its flags and counts; \`?q=\` filters by username or email prefix. ${ADMIN_ONLY}`,
  request: { query: ListUsersQuery },
  responses: {
    200: json(AdminUserListSchema, 'A page of accounts.', { ...EtagHeader, ...LinkHeader }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 403, 422),
  },
});

export const updateUser = createRoute({
  ...adminRoute,
  method: 'patch',
  path: '/users/{id}',
  operationId: 'adminUpdateUser',
  summary: 'Activate, deactivate, promote or demote an account',
  description: `Deactivating revokes every session of the account in the same write and blocks login and its access tokens at once. Administrators cannot deactivate or demote themselves (422). Honours If-Match with the ETag of this representation (sent by this route). ${ADMIN_ONLY}`,
  request: {
    params: UserIdParams,
    headers: IfMatchHeaderSchema,
    body: jsonBody(UpdateUserBody),
  },
  responses: {
    200: json(AdminUserSchema, 'The account after the change.'),
    ...problemResponses(400, 401, 403, 404, 412, 422),
  },
});

export const listRequestLogs = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/request-logs',
  operationId: 'adminListRequestLogs',
  summary: 'Search request logs',
  description: `Recorded API requests, newest first, filtered by method, status (exact or class), path prefix, username and time range. Logs arrive through the jobs queue within seconds and are kept for REQUEST_LOG_RETENTION_DAYS. ${ADMIN_ONLY}`,
  request: { query: ListRequestLogsQuery },
  responses: {
    200: json(RequestLogListSchema, 'A page of request logs.', { ...EtagHeader, ...LinkHeader }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 403, 422),
  },
});

export const getStats = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/stats',
  operationId: 'adminGetStats',
  summary: 'Daily statistics',
  description: `Per UTC day: requests by status class, p50/p95 duration, signups, posts and likes, for the last \`days\` days. ${ADMIN_ONLY}`,
  request: { query: StatsQuery },
  responses: {
    200: json(StatsSchema, 'The numbers per day.'),
    ...notModifiedResponse,
    ...problemResponses(401, 403, 422),
  },
});

export const listFailedJobs = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/jobs/failed',
  operationId: 'adminListFailedJobs',
  summary: 'List failed jobs',
  description: `Queue messages that could not be processed: dead-lettered after their last retry, or refused as malformed. Newest first. ${ADMIN_ONLY}`,
  request: { query: PageQuerySchema },
  responses: {
    200: json(FailedJobListSchema, 'A page of failed jobs.', { ...EtagHeader, ...LinkHeader }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 403, 422),
  },
});

export const retryFailedJob = createRoute({
  ...adminRoute,
  method: 'post',
  path: '/jobs/failed/{id}/retry',
  operationId: 'adminRetryFailedJob',
  summary: 'Queue a failed job again',
  description: `Sends the stored message to the jobs queue again and records when. Jobs are idempotent, so retrying twice does no harm. A job that can never succeed is refused with 422 \`not_retryable\` (one that failed permanently, or whose mailed token was redacted when it was recorded), as is a message that matches no job type. ${ADMIN_ONLY}`,
  request: { params: FailedJobIdParams },
  responses: {
    202: json(RetryAcceptedSchema, 'Queued again.', {}),
    ...problemResponses(401, 403, 404, 422),
  },
});

export const listJobRuns = createRoute({
  ...adminRoute,
  method: 'get',
  path: '/jobs/runs',
  operationId: 'adminListJobRuns',
  summary: 'List cron task runs',
  description: `Every run of a scheduled task (token purge, outbox blanking, request-log roll-up, orphaned-image sweep, counter reconciliation), newest first: when it started and finished, its outcome and how many rows it touched. \`?task=\` keeps one task's runs. ${ADMIN_ONLY}`,
  request: { query: ListJobRunsQuery },
  responses: {
    200: json(JobRunListSchema, 'A page of task runs.', { ...EtagHeader, ...LinkHeader }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 403, 422),
  },
});
