import { createRoute } from '@hono/zod-openapi';
import { requireWriter } from '../../lib/auth';
import { EtagHeader, IfMatchHeaderSchema, notModifiedResponse } from '../../lib/etag';
import { createdHeaders, IdempotencyKeyHeaderSchema } from '../../lib/idempotency';
import { bearerSecurity, jsonBody, jsonWithHeaders, problemResponses } from '../../lib/openapi';
import { LinkHeader } from '../../lib/pagination';
import { limitWrites } from '../../lib/write-limit';
import {
  CreateStatusBody,
  ListStatusesQuery,
  STATUSES_PATH,
  StatusIdParams,
  StatusListSchema,
  StatusSchema,
  UpdateStatusBody,
} from './statuses.schemas';

const TAGS = ['Statuses'];

export const listStatuses = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listStatuses',
  tags: TAGS,
  summary: 'List statuses, newest first',
  description:
    'Keyset pagination over (created_at, id), newest first and stable under concurrent inserts: follow `next_cursor` or `Link: rel="next"`. `?author=` keeps one user\'s statuses, as on GET /posts (an unknown username gives an empty list); `?username=` is its deprecated old name.',
  security: [],
  request: { query: ListStatusesQuery },
  responses: {
    200: jsonWithHeaders(StatusListSchema, 'One page of statuses.', {
      ...EtagHeader,
      ...LinkHeader,
    }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 422),
  },
});

export const createStatus = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createStatus',
  tags: TAGS,
  summary: 'Post a status',
  description:
    'Creates a status by the caller; 201 with the status and its `Location`. Honours `Idempotency-Key` (see the header). Fields other than `content` are refused with 422.',
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: {
    headers: IdempotencyKeyHeaderSchema,
    body: jsonBody(CreateStatusBody, 'The new status.'),
  },
  responses: {
    201: jsonWithHeaders(
      StatusSchema,
      'The new status (or, for a repeated Idempotency-Key, the first response).',
      createdHeaders(STATUSES_PATH, 'status'),
    ),
    ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
  },
});

export const getStatus = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getStatus',
  tags: TAGS,
  summary: 'Read one status',
  description: 'The status with its author. Sends an ETag; If-None-Match gives 304.',
  security: [],
  request: { params: StatusIdParams },
  responses: {
    200: jsonWithHeaders(StatusSchema, 'The status.', EtagHeader),
    ...notModifiedResponse,
    ...problemResponses(401, 404, 422),
  },
});

export const updateStatus = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updateStatus',
  tags: TAGS,
  summary: 'Edit a status',
  description:
    'Replaces the content. Only the author (403 for anyone else, administrators included). With `If-Match`, a stale ETag is 412 and nothing changes. Fields other than `content` are refused with 422.',
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: {
    params: StatusIdParams,
    headers: IfMatchHeaderSchema,
    body: jsonBody(UpdateStatusBody, 'The new content.'),
  },
  responses: {
    200: jsonWithHeaders(StatusSchema, 'The status after the edit.', EtagHeader),
    ...problemResponses(400, 401, 403, 404, 412, 413, 415, 422, 429),
  },
});

export const deleteStatus = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteStatus',
  tags: TAGS,
  summary: 'Delete a status',
  description:
    'Only the author or an administrator (403 for anyone else). Honours `If-Match` (412 when stale).',
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: { params: StatusIdParams, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: 'Deleted.' },
    ...problemResponses(401, 403, 404, 412, 422, 429),
  },
});
