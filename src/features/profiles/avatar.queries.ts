import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { affectedRows } from '../../db/result';
import { images, profiles } from '../../db/schema';

/** The caller's current avatar: its key and its thumbnail's, both null when none is set. */
export async function findAvatar(db: Database, userId: string) {
  const [row] = await db
    .select({ key: profiles.avatarKey, thumbnailKey: images.thumbnailKey })
    .from(profiles)
    .leftJoin(images, eq(images.key, profiles.avatarKey))
    .where(eq(profiles.userId, userId))
    .limit(1);
  return row ?? null;
}

/** Deletes an images row unless some profile still points at it. */
const deleteUnlessAvatar = (db: Database, key: string) =>
  db
    .delete(images)
    .where(
      and(
        eq(images.key, key),
        sql`not exists (select 1 from ${profiles} where ${profiles.avatarKey} = ${key})`,
      ),
    );

export interface AvatarChange {
  userId: string;
  /** The avatar the caller saw; the change applies only if it is still the current one. */
  previousKey: string | null;
  now: Date;
  /** With If-Match: the change applies only if the profile was not edited since. */
  expectedUpdatedAt?: Date;
}

function profileStillAsSeen(change: AvatarChange) {
  return and(
    eq(profiles.userId, change.userId),
    change.previousKey === null
      ? isNull(profiles.avatarKey)
      : eq(profiles.avatarKey, change.previousKey),
    change.expectedUpdatedAt ? eq(profiles.updatedAt, change.expectedUpdatedAt) : undefined,
  );
}

/**
 * What goes into the upload's batch after the new images row: point the profile at `newKey`
 * if it is still as the caller saw it (otherwise the concurrent change wins and this upload's
 * row is dropped again), then drop whichever row is no longer anyone's avatar.
 */
export function replaceAvatarStatements(db: Database, change: AvatarChange & { newKey: string }) {
  return {
    profile: db
      .update(profiles)
      .set({ avatarKey: change.newKey, updatedAt: change.now })
      .where(profileStillAsSeen(change)),
    ...(change.previousKey === null
      ? {}
      : { previousAvatar: deleteUnlessAvatar(db, change.previousKey) }),
    unusedUpload: deleteUnlessAvatar(db, change.newKey),
  };
}

/** Whether a statement of a batch changed a row (the profile update above). */
export const changedRow = (result: unknown) => affectedRows(result) === 1;

/** Clears the avatar if the profile is still as the caller saw it; returns whether it was. */
export async function removeAvatar(db: Database, change: AvatarChange & { previousKey: string }) {
  const [update] = await db.batch([
    db
      .update(profiles)
      .set({ avatarKey: null, updatedAt: change.now })
      .where(profileStillAsSeen(change)),
    deleteUnlessAvatar(db, change.previousKey),
  ]);
  return changedRow(update);
}
