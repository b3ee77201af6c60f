import { createRoute } from '@hono/zod-openapi';
import { requireWriter } from '../../lib/auth';
import { EtagHeader, notModifiedResponse } from '../../lib/etag';
import { bearerSecurity, jsonContent, jsonWithHeaders, problemResponses } from '../../lib/openapi';
import { LinkHeader, PageQuerySchema } from '../../lib/pagination';
import { limitWrites } from '../../lib/write-limit';
import { LikeListSchema, LikeStateSchema, PostIdParams } from './posts.schemas';

const TAGS = ['Posts'];

export const likePost = createRoute({
  method: 'put',
  path: '/{id}/like',
  operationId: 'likePost',
  tags: TAGS,
  summary: 'Like a post',
  description:
    'Idempotent: liking a post you already like changes nothing. The like row and `like_count` change in one transaction, so N people liking at once end at exactly N.',
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: { params: PostIdParams },
  responses: {
    200: jsonContent(LikeStateSchema, 'The like count after, and liked_by_me: true.'),
    ...problemResponses(401, 403, 404, 422, 429),
  },
});

export const unlikePost = createRoute({
  method: 'delete',
  path: '/{id}/like',
  operationId: 'unlikePost',
  tags: TAGS,
  summary: 'Take back a like',
  description:
    'Idempotent: removing a like that is not there changes nothing. Answers the count after, with liked_by_me: false.',
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: { params: PostIdParams },
  responses: {
    200: jsonContent(LikeStateSchema, 'The like count after, and liked_by_me: false.'),
    ...problemResponses(401, 403, 404, 422, 429),
  },
});

export const listPostLikes = createRoute({
  method: 'get',
  path: '/{id}/likes',
  operationId: 'listPostLikes',
  tags: TAGS,
  summary: 'List who likes a post',
  description:
    'Most recent like first, keyset-paginated over (liked_at, user): follow `next_cursor` or `Link: rel="next"`.',
  security: [],
  request: { params: PostIdParams, query: PageQuerySchema },
  responses: {
    200: jsonWithHeaders(LikeListSchema, 'One page of likes.', { ...EtagHeader, ...LinkHeader }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 404, 422),
  },
});
