import { createRoute } from '@hono/zod-openapi';
import { UserSchema } from '../../lib/accounts';
import { requireAuth } from '../../lib/auth';
import { EtagHeader, IfMatchHeaderSchema, notModifiedResponse } from '../../lib/etag';
import { bearerSecurity, jsonBody, problemResponses } from '../../lib/openapi';
import { DeleteMeBody, UpdateMeBody } from './users.schemas';

const userExample = {
  id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
  email: 'ada@example.com',
  pending_email: null,
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
    'Both are unique case-insensitively (409 when taken). A different email needs `current_password` (422 when missing, 403 `wrong_password` when wrong; password checks are rate limited per account) and does not replace the current address at once: it is held as `pending_email`, and a token is mailed to it; posting that token to /auth/verify-email makes it the account address. Until then login, password resets and notices keep using the current address, and the current address is told of the change (a notice without any token). The change spends every unused password-reset and verification token of the account. Sending the current address again (in any letter case) drops a pending change. Changing the email is rate limited per account. When REQUIRE_VERIFIED_EMAIL is on, an unverified account may fix its email but not change its username (403).',
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  request: {
    headers: IfMatchHeaderSchema,
    body: jsonBody(
      UpdateMeBody,
      'Username and/or email; `current_password` when the email changes.',
    ),
  },
  responses: {
    200: {
      ...userResponse('The updated account (a new email shows as `pending_email`).'),
      content: {
        'application/json': {
          schema: UserSchema,
          example: { ...userExample, pending_email: 'ada@example.org' },
        },
      },
    },
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
    "Needs the account password in the body (`current_password`: 422 when missing, 403 `wrong_password` when wrong; rate limited per account), so a stolen access token alone cannot delete the account. Deletes, in one batch, the account, its profile, sessions, tokens, statuses, posts (with their likes) and likes (other people's posts it liked lose that like), and image rows; the stored image objects are removed afterwards by a queued clean-up job. Access tokens stop working at once.",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  request: {
    headers: IfMatchHeaderSchema,
    body: jsonBody(DeleteMeBody, 'The account password, to confirm.'),
  },
  responses: {
    204: { description: 'Deleted.' },
    ...problemResponses(401, 403, 412, 422, 429),
  },
});
