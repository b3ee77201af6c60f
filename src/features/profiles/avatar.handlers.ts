import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { currentUser } from '../../lib/auth';
import { edgeCachePurge, profileCachePaths } from '../../lib/edge-cache';
import { assertIfMatch, expectedUpdatedAt, nextUpdatedAt, setEtag } from '../../lib/etag';
import { originOf } from '../../lib/media-urls';
import { conflict, notFound, preconditionFailed } from '../../lib/problem';
import { createRouter } from '../../lib/router';
import {
  deleteImageObjects,
  objectKeysOf,
  queueImageProcessing,
  readMultipart,
  storeImage,
  takeImage,
} from '../../lib/uploads';
import { changedRow, findAvatar, removeAvatar, replaceAvatarStatements } from './avatar.queries';
import * as routes from './avatar.routes';
import { findProfileByUserId } from './profiles.queries';
import { renderProfile } from './profiles.view';

const AVATAR_FIELD = 'file';

const profileNotFound = () =>
  notFound('The signed-in account has no profile.', 'profile_not_found');
/** The guarded write found the profile changed: 412 when If-Match asked for that, else 409. */
const changedMeanwhile = (ifMatch: boolean) =>
  ifMatch
    ? preconditionFailed(
        'The profile changed since you read it; GET it again and retry.',
        'etag_mismatch',
      )
    : conflict('The avatar changed while this request was applied; retry.', 'avatar_changed');

/** The caller's profile as GET renders it, checked against If-Match, and its avatar. */
async function profileAsSeen(c: Context<AppEnv>, userId: string, ifMatch: string | undefined) {
  const db = c.get('db');
  const [profile, avatar] = await Promise.all([
    findProfileByUserId(db, userId),
    findAvatar(db, userId),
  ]);
  if (!profile || !avatar) throw profileNotFound();
  await assertIfMatch(ifMatch, renderProfile(originOf(c), profile));
  return {
    avatar,
    now: nextUpdatedAt(profile.updatedAt),
    expectedUpdatedAt: expectedUpdatedAt(ifMatch, profile.updatedAt),
  };
}

export const putMyAvatar: RouteHandler<typeof routes.putMyAvatar, AppEnv> = async (c) => {
  const { userId } = currentUser(c);
  const ifMatch = c.req.valid('header')['if-match'];
  const upload = await takeImage(await readMultipart(c.req.raw), AVATAR_FIELD);
  const db = c.get('db');
  const seen = await profileAsSeen(c, userId, ifMatch);

  const { image, results } = await storeImage(
    { bucket: c.env.BUCKET, db, ownerId: userId, purpose: 'avatar', image: upload },
    (stored) =>
      replaceAvatarStatements(db, {
        userId,
        previousKey: seen.avatar.key,
        newKey: stored.key,
        now: seen.now,
        expectedUpdatedAt: seen.expectedUpdatedAt,
      }),
  );
  if (!changedRow(results.profile)) {
    // The batch already dropped this upload's row; its object goes too.
    await deleteImageObjects(c.env.BUCKET, [image.key]);
    throw changedMeanwhile(seen.expectedUpdatedAt !== undefined);
  }
  if (seen.avatar.key) {
    await deleteImageObjects(
      c.env.BUCKET,
      objectKeysOf([{ key: seen.avatar.key, thumbnailKey: seen.avatar.thumbnailKey }]),
    );
  }
  await queueImageProcessing(c.env.JOBS, image.key);

  const profile = await findProfileByUserId(db, userId);
  if (!profile) throw profileNotFound();
  edgeCachePurge(c)(profileCachePaths(profile.username));
  const view = renderProfile(originOf(c), profile);
  await setEtag(c, view);
  return c.json(view, 200);
};

export const deleteMyAvatar: RouteHandler<typeof routes.deleteMyAvatar, AppEnv> = async (c) => {
  const { userId, username } = currentUser(c);
  const seen = await profileAsSeen(c, userId, c.req.valid('header')['if-match']);
  const previousKey = seen.avatar.key;
  if (previousKey === null) return c.body(null, 204);
  const removed = await removeAvatar(c.get('db'), {
    userId,
    previousKey,
    now: seen.now,
    expectedUpdatedAt: seen.expectedUpdatedAt,
  });
  if (!removed) throw changedMeanwhile(seen.expectedUpdatedAt !== undefined);
  edgeCachePurge(c)(profileCachePaths(username));
  await deleteImageObjects(
    c.env.BUCKET,
    objectKeysOf([{ key: previousKey, thumbnailKey: seen.avatar.thumbnailKey }]),
  );
  return c.body(null, 204);
};

/** PUT and DELETE /profiles/me/avatar, mounted by the profiles router. */
export const avatarRouter = createRouter()
  .openapi(routes.putMyAvatar, putMyAvatar)
  .openapi(routes.deleteMyAvatar, deleteMyAvatar);
