import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { batchNamed } from '../../src/db/batch';
import type { Database } from '../../src/db/client';
import { images, profiles } from '../../src/db/schema';
import {
  changedRow,
  findAvatar,
  removeAvatar,
  replaceAvatarStatements,
} from '../../src/features/profiles/avatar.queries';
import { newId } from '../../src/lib/ids';
import { insertUser } from './fixtures';
import type { CaseSuite } from './harness';

const T0 = new Date(Date.UTC(2026, 7, 1));
const later = (ms: number) => new Date(T0.getTime() + ms);

/** The upload's batch: the new images row first, then the avatar statements. */
async function upload(
  db: Database,
  userId: string,
  previousKey: string | null,
  now: Date,
  expectedUpdatedAt?: Date,
) {
  const newKey = `u/${userId}/${newId()}.png`;
  const row = db.insert(images).values({
    key: newKey,
    ownerId: userId,
    purpose: 'avatar',
    contentType: 'image/png',
    size: 10,
    width: 1,
    height: 1,
    thumbnailKey: `${newKey}.thumb.webp`,
  });
  const results = await batchNamed(db, {
    row,
    ...replaceAvatarStatements(db, { userId, previousKey, now, newKey, expectedUpdatedAt }),
  });
  return { newKey, changed: changedRow(results.profile) };
}

const imageKeys = async (db: Database) =>
  (await db.select({ key: images.key }).from(images)).map((r) => r.key).sort();

/** profiles/avatar.queries: replace and remove, guarded against concurrent changes. */
export const avatarCases: CaseSuite = (engine) => {
  it('findAvatar: null for no profile, nulls for no avatar, the keys when set', async () => {
    const { db } = engine();
    expect(await findAvatar(db, newId())).toBeNull();
    const user = await insertUser(db);
    expect(await findAvatar(db, user.id)).toEqual({ key: null, thumbnailKey: null });
    const { newKey } = await upload(db, user.id, null, T0);
    expect(await findAvatar(db, user.id)).toEqual({
      key: newKey,
      thumbnailKey: `${newKey}.thumb.webp`,
    });
  });

  it('replacing the avatar points the profile at the new row and drops the old one', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const first = await upload(db, user.id, null, T0);
    expect(first.changed).toBe(true);
    const second = await upload(db, user.id, first.newKey, later(1));
    expect(second.changed).toBe(true);
    const [profile] = await db.select().from(profiles).where(eq(profiles.userId, user.id));
    expect(profile).toMatchObject({ avatarKey: second.newKey, updatedAt: later(1) });
    expect(await imageKeys(db)).toEqual([second.newKey]);
  });

  it('an upload that lost a race changes nothing and leaves no row of its own', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const current = await upload(db, user.id, null, T0);
    // This caller still believes there is no avatar.
    const stale = await upload(db, user.id, null, later(1));
    expect(stale.changed).toBe(false);
    expect((await findAvatar(db, user.id))?.key).toBe(current.newKey);
    expect(await imageKeys(db)).toEqual([current.newKey]);
    // And one whose If-Match is stale.
    const [profile] = await db.select().from(profiles).where(eq(profiles.userId, user.id));
    const ifMatch = await upload(db, user.id, current.newKey, later(2), later(-5));
    expect(ifMatch.changed).toBe(false);
    expect(await imageKeys(db)).toEqual([current.newKey]);
    const ok = await upload(db, user.id, current.newKey, later(3), profile!.updatedAt);
    expect(ok.changed).toBe(true);
  });

  it('removeAvatar clears it once; a stale caller gets false and changes nothing', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const { newKey } = await upload(db, user.id, null, T0);
    const other = await insertUser(db);
    const theirs = await upload(db, other.id, null, T0);
    expect(
      await removeAvatar(db, { userId: user.id, previousKey: 'u/other.png', now: later(1) }),
    ).toBe(false);
    expect(await removeAvatar(db, { userId: user.id, previousKey: newKey, now: later(2) })).toBe(
      true,
    );
    expect(await findAvatar(db, user.id)).toEqual({ key: null, thumbnailKey: null });
    expect(await imageKeys(db)).toEqual([theirs.newKey]);
    expect(await removeAvatar(db, { userId: user.id, previousKey: newKey, now: later(3) })).toBe(
      false,
    );
  });
};
