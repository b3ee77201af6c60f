import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt, setEtag } from '../../lib/etag';
import { keysetPage } from '../../lib/pagination';
import { notFound, preconditionFailed } from '../../lib/problem';
import {
  findProfileByUserId,
  findProfileByUsername,
  listProfiles as selectProfilePage,
  updateProfile,
} from './profiles.queries';
import type * as routes from './profiles.routes';
import { renderProfile } from './profiles.view';

const originOf = (c: Context) => new URL(c.req.url).origin;
const profileNotFound = () => notFound('No user has this username.', 'profile_not_found');

export const listProfiles: RouteHandler<typeof routes.listProfiles, AppEnv> = async (c) => {
  const { limit, cursor, q } = c.req.valid('query');
  const origin = originOf(c);
  const page = await keysetPage(c, {
    scope: JSON.stringify(['profiles', q?.toLowerCase() ?? null]),
    cursor,
    limit,
    fetch: (position) => selectProfilePage(c.get('db'), { q, position, limit }),
    positionOf: (row) => ({ at: row.createdAt.getTime(), id: row.userId }),
    render: (row) => renderProfile(origin, row),
  });
  return c.json(page, 200);
};

export const getProfile: RouteHandler<typeof routes.getProfile, AppEnv> = async (c) => {
  const { username } = c.req.valid('param');
  const row = await findProfileByUsername(c.get('db'), username);
  if (!row) throw profileNotFound();
  return c.json(renderProfile(originOf(c), row), 200);
};

export const getMyProfile: RouteHandler<typeof routes.getMyProfile, AppEnv> = async (c) => {
  const row = await findProfileByUserId(c.get('db'), currentUser(c).userId);
  if (!row) throw notFound('The signed-in account has no profile.', 'profile_not_found');
  return c.json(renderProfile(originOf(c), row), 200);
};

export const updateMyProfile: RouteHandler<typeof routes.updateMyProfile, AppEnv> = async (c) => {
  const { userId } = currentUser(c);
  const { 'if-match': ifMatch } = c.req.valid('header');
  const input = c.req.valid('json');
  const db = c.get('db');
  const current = await findProfileByUserId(db, userId);
  if (!current) throw profileNotFound();
  await assertIfMatch(ifMatch, renderProfile(originOf(c), current));
  const { changed, profile } = await updateProfile(db, {
    userId,
    bio: input.bio,
    city: input.city,
    updatedAt: nextUpdatedAt(current.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(ifMatch, current.updatedAt),
  });
  if (!profile) throw profileNotFound();
  if (!changed) {
    throw preconditionFailed(
      'The profile changed while this request was being applied.',
      'etag_mismatch',
    );
  }
  const view = renderProfile(originOf(c), profile);
  await setEtag(c, view);
  return c.json(view, 200);
};
