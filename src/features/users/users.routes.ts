import { createRoute } from '@hono/zod-openapi';
import { UserSchema } from '../../lib/accounts';
import { requireAuth } from '../../lib/auth';
import { EtagHeader, IfMatchHeaderSchema, notModifiedResponse } from '../../lib/etag';
import { bearerSecurity, jsonBody, problemResponses } from '../../lib/openapi';
import { UpdateMeBody } from './users.schemas';

const userExample = {
  id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
  email: 'ada@example.com',
  username: 'ada_l',
  email_verified: true,
  is_admin: false,
  created_at: '2026-01-05T09:30:00.000Z',
  profile: {
    username: 'ada_l',
    bio: 'Writes about engines.',
    city: 'London',
    avatar_url: 'https://api.ublog.example/api/v1/images/01938f0e-avatar',
    post_count: 3,
    created_at: '2026-01-05T09:30:00.000Z',
  },
};

const userResponse = (description: string) => ({
  description,
  headers: EtagHeader,
  content: { 'application/json': { schema: UserSchema, example: userExample } },
});

export const getMe = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'getMe',
  tags: ['Users'],
  summary: 'The signed-in account',
  description:
    'The account with its profile inline. Sends an ETag: If-None-Match gets 304, and PATCH or DELETE with If-Match refuses a stale one with 412.',
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: {
    200: userResponse('The account.'),
    ...notModifiedResponse,
    ...problemResponses(401),
  },
});

export const updateMe = createRoute({
  method: 'patch',
  path: '/me',
  operationId: 'updateMe',
  tags: ['Users'],
  summary: 'Change username or email',
  description:
    'Both are unique case-insensitively (409 when taken). A new email is unverified and gets a fresh verification email (tokens sent to the old address stop working); changing the email is rate limited per account. When REQUIRE_VERIFIED_EMAIL is on, an unverified account may fix its email but not change its username (403).',
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  request: { headers: IfMatchHeaderSchema, body: jsonBody(UpdateMeBody) },
  responses: {
    200: userResponse('The updated account.'),
    ...problemResponses(401, 403, 409, 412, 422, 429),
  },
});

export const deleteMe = createRoute({
  method: 'delete',
  path: '/me',
  operationId: 'deleteMe',
  tags: ['Users'],
  summary: 'Delete the account and everything it owns',
  description:
    "Deletes, in one batch, the account, its profile, sessions, tokens, statuses, posts (with their likes) and likes (other people's posts it liked lose that like), and image rows; the stored image objects are removed afterwards by a queued clean-up job. Access tokens stop working at once.",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  request: { headers: IfMatchHeaderSchema },
  responses: {
    204: { description: 'Deleted.' },
    ...problemResponses(401, 412),
  },
});
