import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { keysetBefore } from '../../db/keyset';
import { startsWithIgnoringCase } from '../../db/prefix';
import { preparedSelect } from '../../db/prepared';
import { affectedRows } from '../../db/result';
import { images, profiles, users } from '../../db/schema';
import { inJsonArray } from '../../lib/chunks';
import type { Keyset } from '../../lib/pagination';

const profileColumns = {
  userId: users.id,
  username: users.username,
  createdAt: users.createdAt,
  bio: profiles.bio,
  city: profiles.city,
  avatarKey: profiles.avatarKey,
  avatarThumbnailKey: images.thumbnailKey,
  postCount: profiles.postCount,
  updatedAt: profiles.updatedAt,
};

function selectProfiles(db: Database) {
  return db
    .select(profileColumns)
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(images, eq(images.key, profiles.avatarKey));
}

export type ProfileRow = NonNullable<Awaited<ReturnType<typeof findProfileByUsername>>>;

const selectProfileByUsername = preparedSelect((db, _shape: 'one') =>
  selectProfiles(db)
    .where(sql`lower(${users.username}) = lower(${sql.placeholder('username')})`)
    .limit(1),
);

/** Case-insensitive, through the unique index on lower(username). */
export async function findProfileByUsername(db: Database, username: string) {
  const [row] = await selectProfileByUsername(db, 'one', { username });
  return row;
}

export async function findProfileByUserId(db: Database, userId: string) {
  const [row] = await selectProfiles(db).where(eq(users.id, userId)).limit(1);
  return row;
}

/**
 * Newest account first over (users.created_at, users.id). The prefix filter is a range on
 * lower(username), which the unique index on lower(username) can serve (no LIKE to escape).
 */
export function listProfiles(
  db: Database,
  input: { q?: string; position: Keyset | null; limit: number },
) {
  return selectProfiles(db)
    .where(
      and(
        input.q === undefined ? undefined : startsWithIgnoringCase(users.username, input.q),
        keysetBefore(users.createdAt, users.id, input.position),
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.limit + 1);
}

/** With `expectedUpdatedAt`, only if the profile was not edited since it was read (If-Match). */
export async function updateProfile(
  db: Database,
  input: {
    userId: string;
    bio?: string;
    city?: string;
    updatedAt: Date;
    expectedUpdatedAt?: Date;
  },
) {
  const [result, rows] = await db.batch([
    db
      .update(profiles)
      .set({
        ...(input.bio === undefined ? {} : { bio: input.bio }),
        ...(input.city === undefined ? {} : { city: input.city }),
        updatedAt: input.updatedAt,
      })
      .where(
        and(
          eq(profiles.userId, input.userId),
          input.expectedUpdatedAt ? eq(profiles.updatedAt, input.expectedUpdatedAt) : undefined,
        ),
      ),
    selectProfiles(db).where(eq(users.id, input.userId)).limit(1),
  ]);
  return { changed: affectedRows(result) === 1, profile: rows[0] };
}

/** Users with their profiles by id, in one statement however many ids there are. */
export function findProfilesByUserIds(db: Database, userIds: readonly string[]) {
  return selectProfiles(db).where(inJsonArray(users.id, userIds));
}
