import { createRoute } from '@hono/zod-openapi';
import { requireAuth, requireWriter } from '../../lib/auth';
import { EtagHeader, IfMatchHeaderSchema, notModifiedResponse } from '../../lib/etag';
import { bearerSecurity, jsonBody, jsonWithHeaders, problemResponses } from '../../lib/openapi';
import { LinkHeader } from '../../lib/pagination';
import {
  ListProfilesQuery,
  ProfileListSchema,
  ProfileSchema,
  UpdateProfileBody,
  UsernameParams,
} from './profiles.schemas';

const TAGS = ['Profiles'];

export const listProfiles = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listProfiles',
  tags: TAGS,
  summary: 'List or search profiles',
  description:
    'Newest account first, keyset-paginated over (created_at, id): follow `next_cursor` or `Link: rel="next"`. `?q=` keeps usernames that start with the text, case-insensitively.',
  security: [],
  request: { query: ListProfilesQuery },
  responses: {
    200: jsonWithHeaders(ProfileListSchema, 'One page of profiles.', {
      ...EtagHeader,
      ...LinkHeader,
    }),
    ...notModifiedResponse,
    ...problemResponses(400, 401, 422),
  },
});

export const getMyProfile = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'getMyProfile',
  tags: TAGS,
  summary: 'Read your own profile',
  description:
    "The caller's profile, exactly as GET /profiles/{username} shows it to anyone, with the same ETag (use it as If-Match on PATCH /profiles/me).",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: {
    200: jsonWithHeaders(ProfileSchema, 'Your profile.', EtagHeader),
    ...notModifiedResponse,
    ...problemResponses(401, 404),
  },
});

export const getProfile = createRoute({
  method: 'get',
  path: '/{username}',
  operationId: 'getProfile',
  tags: TAGS,
  summary: 'Read a profile',
  description: "A user's public profile; the username matches case-insensitively.",
  security: [],
  request: { params: UsernameParams },
  responses: {
    200: jsonWithHeaders(ProfileSchema, 'The profile.', EtagHeader),
    ...notModifiedResponse,
    ...problemResponses(401, 404, 422),
  },
});

export const updateMyProfile = createRoute({
  method: 'patch',
  path: '/me',
  operationId: 'updateMyProfile',
  tags: TAGS,
  summary: 'Edit your profile',
  description:
    "Sets `bio` and/or `city` of the caller's profile. With `If-Match` (the ETag of GET /profiles/{your username}), a stale ETag is 412 and nothing changes. Any other field is refused with 422.",
  security: bearerSecurity,
  middleware: [requireWriter] as const,
  request: {
    headers: IfMatchHeaderSchema,
    body: jsonBody(UpdateProfileBody, 'The fields to change.'),
  },
  responses: {
    200: jsonWithHeaders(ProfileSchema, 'The profile after the edit.', EtagHeader),
    ...problemResponses(400, 401, 403, 404, 412, 413, 415, 422),
  },
});
