import { createRoute } from '@hono/zod-openapi';
import { optionalAuth, requireWriter } from '../../lib/auth';
import { EtagHeader, IfMatchHeaderSchema, notModifiedResponse } from '../../lib/etag';
import { createdHeaders, IdempotencyKeyHeaderSchema } from '../../lib/idempotency';
import { bearerSecurity, jsonBody, jsonWithHeaders, problemResponses } from '../../lib/openapi';
import { LinkHeader } from '../../lib/pagination';
import { limitWrites } from '../../lib/write-limit';
import { CreatePostMultipart } from './post-image.schemas';
import {
  CreatePostBody,
  ListPostsQuery,
  POSTS_PATH,
  PostIdParams,
  PostListSchema,
  PostSchema,
  UpdatePostBody,
} from './posts.schemas';

const TAGS = ['Posts'];
/** Anonymous or signed in: a token only adds `liked_by_me`. */
export const optionalBearer = [{}, ...bearerSecurity];

export const VaryHeader = {
  Vary: {
    description: 'Authorization: the body depends on who asks (`liked_by_me`).',
    schema: { type: 'string' as const, example: 'Authorization' },
  },
};

export const listPosts = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPosts',
  tags: TAGS,
  summary: 'List posts, newest first',
  description:
    'Keyset pagination over (created_at, id), newest first and stable under concurrent inserts: follow `next_cursor` or the `Link: rel="next"` header. Signing in is optional: with a bearer token, `liked_by_me` says whether you like each post (false for anonymous callers). `?author=` keeps one user\'s posts; `?liked_by=` keeps the posts a user likes, ordered by when they were liked. An unknown username gives an empty list. `like_count` and `liked_by_me` come from the same single query as the page.',
  security: optionalBearer,
  middleware: [optionalAuth] as const,
  request: { query: ListPostsQuery },
  responses: {
    200: jsonWithHeaders(PostListSchema, 'One page of posts.', {
      ...EtagHeader,
      ...LinkHeader,
      ...VaryHeader,
    }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 422),
  },
});

const createPostJson = jsonBody(
  CreatePostBody,
  'The new post: JSON, or multipart/form-data with an image.',
);

export const createPost = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createPost',
  tags: TAGS,
  summary: 'Write a post',
  description:
    "Creates a post by the caller; 201 with the post and its `Location`. The author's `post_count` changes in the same transaction. Honours `Idempotency-Key` (see the header). Unknown or server-owned fields in the body are refused with 422. Send JSON `{ body }`, or `multipart/form-data` with `body` and an optional `image` (JPEG, PNG, WebP or GIF by its bytes, else 415; at most 10 MiB, else 413 while it streams in); the post's `image.thumbnail_url` stays null until the thumbnail job has run.",
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: {
    headers: IdempotencyKeyHeaderSchema,
    body: {
      ...createPostJson,
      content: { ...createPostJson.content, 'multipart/form-data': CreatePostMultipart },
    },
  },
  responses: {
    201: jsonWithHeaders(
      PostSchema,
      'The new post (or, for a repeated Idempotency-Key, the first response).',
      createdHeaders(POSTS_PATH, 'post'),
    ),
    ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
  },
});

export const getPost = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getPost',
  tags: TAGS,
  summary: 'Read one post',
  description:
    'The post with its author, image and like count. Signing in is optional: with a bearer token, `liked_by_me` says whether you like it. Its ETag changes whenever `like_count` or `liked_by_me` would, so If-None-Match revalidation stays exact.',
  security: optionalBearer,
  middleware: [optionalAuth] as const,
  request: { params: PostIdParams },
  responses: {
    200: jsonWithHeaders(PostSchema, 'The post.', { ...EtagHeader, ...VaryHeader }),
    ...notModifiedResponse,
    ...problemResponses(401, 404, 422),
  },
});

export const updatePost = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updatePost',
  tags: TAGS,
  summary: 'Edit a post',
  description:
    'Replaces the body. Only the author or an administrator (403 for anyone else). With `If-Match`, a stale ETag (the post as you would GET it changed) is 412 and nothing changes. Fields other than `body` are refused with 422.',
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: {
    params: PostIdParams,
    headers: IfMatchHeaderSchema,
    body: jsonBody(UpdatePostBody, 'The new body.'),
  },
  responses: {
    200: jsonWithHeaders(PostSchema, 'The post after the edit.', EtagHeader),
    ...problemResponses(400, 401, 403, 404, 412, 413, 415, 422, 429),
  },
});

export const deletePost = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deletePost',
  tags: TAGS,
  summary: 'Delete a post',
  description:
    "Deletes the post, its likes and its image in one transaction and decrements the author's `post_count`; the stored image objects are removed after the response. Only the author or an administrator. Honours `If-Match` (412 when stale).",
  security: bearerSecurity,
  middleware: [requireWriter, limitWrites] as const,
  request: { params: PostIdParams, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: 'Deleted.' },
    ...problemResponses(401, 403, 404, 412, 422, 429),
  },
});
