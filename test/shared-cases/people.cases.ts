import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import {
  idempotencyKeys,
  images,
  likes,
  oneTimeTokens,
  posts,
  profiles,
  sessions,
  statuses,
  users,
} from '../../src/db/schema';
import {
  findProfileByUserId,
  findProfileByUsername,
  findProfilesByUserIds,
  listProfiles,
  updateProfile,
} from '../../src/features/profiles/profiles.queries';
import { SEARCH_MAX_CHARS } from '../../src/features/profiles/profiles.schemas';
import {
  deleteAccount,
  emailTakenByAnother,
  findUser,
  updateAccount,
} from '../../src/features/users/users.queries';
import { accountTakenConflict } from '../../src/lib/accounts';
import { newId } from '../../src/lib/ids';
import {
  insertImage,
  insertLike,
  insertOneTimeToken,
  insertPost,
  insertSession,
  insertStatus,
  insertUser,
} from './fixtures';
import type { CaseSuite } from './harness';

const NOW = new Date(Date.UTC(2026, 4, 1, 12));
const later = (ms: number) => new Date(NOW.getTime() + ms);

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/** Users (findUser, updateAccount, deleteAccount) and profiles queries. */
export const peopleCases: CaseSuite = (engine) => {
  it('findUser returns the account joined with its profile, or undefined', async () => {
    const { db } = engine();
    const user = await insertUser(db, { username: 'Ada', emailVerified: true });
    await db
      .update(profiles)
      .set({ bio: 'engines', city: 'London', postCount: 2 })
      .where(eq(profiles.userId, user.id));
    expect(await findUser(db, user.id)).toEqual({
      id: user.id,
      email: user.email,
      pendingEmail: null,
      username: 'Ada',
      emailVerified: true,
      isAdmin: false,
      createdAt: user.createdAt,
      bio: 'engines',
      city: 'London',
      avatarKey: null,
      postCount: 2,
    });
    expect(await findUser(db, newId())).toBeUndefined();
  });

  it('updateAccount renames, and holds a new email as pending with only its token usable', async () => {
    const { db } = engine();
    const user = await insertUser(db, { emailVerified: true, email: 'old@example.com' });
    const oldToken = await insertOneTimeToken(db, user.id, { purpose: 'email_verification' });
    const reset = await insertOneTimeToken(db, user.id, { purpose: 'password_reset' });
    await updateAccount(db, user.id, { username: 'renamed' }, NOW);
    expect(await findUser(db, user.id)).toMatchObject({ username: 'renamed', emailVerified: true });
    const verification = { id: newId(), tokenHash: `v-${newId()}`, expiresAt: later(3_600_000) };
    await updateAccount(db, user.id, { pendingEmail: 'new@example.com', verification }, later(1));
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({
      email: 'old@example.com',
      pendingEmail: 'new@example.com',
      emailVerified: true,
      updatedAt: later(1),
    });
    const tokens = new Map((await db.select().from(oneTimeTokens)).map((t) => [t.id, t]));
    expect(tokens.get(oldToken.id)?.usedAt).toEqual(later(1));
    expect(tokens.get(reset.id)?.usedAt).toEqual(later(1));
    expect(tokens.get(verification.id)).toMatchObject({
      purpose: 'email_verification',
      usedAt: null,
    });
    // Back to the current address (re-cased): the pending one and its token are dropped.
    await updateAccount(
      db,
      user.id,
      { recasedEmail: 'OLD@example.com', pendingEmail: null },
      later(2),
    );
    expect(await findUser(db, user.id)).toMatchObject({
      email: 'OLD@example.com',
      pendingEmail: null,
    });
    const [spent] = await db
      .select()
      .from(oneTimeTokens)
      .where(eq(oneTimeTokens.id, verification.id));
    expect(spent?.usedAt).toEqual(later(2));
  });

  it('updateAccount to a taken username is a 409, and the batch leaves nothing behind', async () => {
    const { db } = engine();
    await insertUser(db, { username: 'Taken', email: 'taken@example.com' });
    const user = await insertUser(db, { username: 'mine', email: 'mine@example.com' });
    const token = await insertOneTimeToken(db, user.id, { purpose: 'email_verification' });
    const verification = { id: newId(), tokenHash: `v-${newId()}`, expiresAt: later(1) };
    const nameErr = await caught(() =>
      updateAccount(
        db,
        user.id,
        { username: 'TAKEN', pendingEmail: 'new@example.com', verification },
        NOW,
      ),
    );
    expect(accountTakenConflict(nameErr)).toMatchObject({ status: 409, code: 'username_taken' });
    expect(await findUser(db, user.id)).toMatchObject({
      username: 'mine',
      email: 'mine@example.com',
      pendingEmail: null,
    });
    const [kept] = await db.select().from(oneTimeTokens).where(eq(oneTimeTokens.id, token.id));
    expect(kept?.usedAt).toBeNull();
    expect(await db.$count(oneTimeTokens)).toBe(1);
  });

  it('emailTakenByAnother compares case-insensitively and ignores the account itself', async () => {
    const { db } = engine();
    const other = await insertUser(db, { email: 'taken@example.com' });
    const user = await insertUser(db, { email: 'mine@example.com' });
    expect(await emailTakenByAnother(db, 'TAKEN@example.com', user.id)).toBe(true);
    expect(await emailTakenByAnother(db, 'MINE@example.com', user.id)).toBe(false);
    expect(await emailTakenByAnother(db, 'taken@example.com', other.id)).toBe(false);
  });

  it('deleteAccount removes everything of the account and un-counts its likes on other posts', async () => {
    const { db } = engine();
    const doomed = await insertUser(db);
    const other = await insertUser(db);
    const theirs = await insertPost(db, other.id, { likeCount: 2 });
    const lonely = await insertPost(db, other.id, { likeCount: 0 });
    await insertLike(db, theirs.id, doomed.id);
    await insertLike(db, theirs.id, other.id);
    const own = await insertPost(db, doomed.id, { likeCount: 1 });
    await insertLike(db, own.id, other.id);
    await insertStatus(db, doomed.id);
    await insertSession(db, doomed.id);
    await insertOneTimeToken(db, doomed.id);
    await insertImage(db, doomed.id);
    await db.insert(idempotencyKeys).values({
      userId: doomed.id,
      key: 'k',
      method: 'POST',
      path: '/api/v1/posts',
      requestHash: 'h',
      state: 'completed',
    });

    await deleteAccount(db, doomed.id);

    expect(await findUser(db, doomed.id)).toBeUndefined();
    for (const [table, column] of [
      [profiles, profiles.userId],
      [sessions, sessions.userId],
      [oneTimeTokens, oneTimeTokens.userId],
      [statuses, statuses.userId],
      [posts, posts.userId],
      [likes, likes.userId],
      [images, images.ownerId],
      [idempotencyKeys, idempotencyKeys.userId],
    ] as const) {
      expect(await db.$count(table, eq(column, doomed.id))).toBe(0);
    }
    const counts = new Map(
      (await db.select({ id: posts.id, n: posts.likeCount }).from(posts)).map((p) => [p.id, p.n]),
    );
    expect(counts.get(theirs.id)).toBe(1);
    expect(counts.get(lonely.id)).toBe(0);
    expect(await db.$count(likes)).toBe(1);
    expect(await findUser(db, other.id)).toBeDefined();
  });

  it('findProfilesByUserIds: any number of ids in one statement, unknown ids skipped', async () => {
    const { db } = engine();
    const made = [];
    for (let i = 0; i < 120; i++) made.push(await insertUser(db));
    const ids = [...made.map((u) => u.id), newId(), made[0]!.id];
    const rows = await findProfilesByUserIds(db, ids);
    expect(rows.map((r) => r.userId).sort()).toEqual(made.map((u) => u.id).sort());
    expect(rows[0]).toMatchObject({ bio: '', city: '', postCount: 0 });
  });

  it('findProfileByUsername is case-insensitive; findProfileByUserId by id', async () => {
    const { db } = engine();
    const user = await insertUser(db, { username: 'Grace_H' });
    const byName = await findProfileByUsername(db, 'grace_h');
    expect(byName).toMatchObject({ userId: user.id, username: 'Grace_H', bio: '', postCount: 0 });
    expect(byName?.createdAt).toEqual(user.createdAt);
    expect(await findProfileByUserId(db, user.id)).toEqual(byName);
    expect(await findProfileByUsername(db, 'grace')).toBeUndefined();
    expect(await findProfileByUserId(db, newId())).toBeUndefined();
  });

  it('listProfiles pages newest first and filters by a literal, case-insensitive prefix', async () => {
    const { db } = engine();
    const base = Date.UTC(2026, 0, 1);
    const names = ['alpha', 'Alpine', 'al_x', 'alx', 'beta', 'ALZ'];
    for (const [i, username] of names.entries()) {
      await insertUser(db, { username, createdAt: new Date(base + i * 1000) });
    }
    const all = await listProfiles(db, { position: null, limit: 10 });
    expect(all.map((p) => p.username)).toEqual([...names].reverse());

    const first = await listProfiles(db, { position: null, limit: 2 });
    expect(first).toHaveLength(3); // limit + 1: proves a next page
    const last = first[1]!;
    const second = await listProfiles(db, {
      position: { at: last.createdAt.getTime(), id: last.userId },
      limit: 2,
    });
    expect(second.map((p) => p.username)).toEqual(['alx', 'al_x', 'Alpine']);

    const al = await listProfiles(db, { q: 'AL', position: null, limit: 10 });
    expect(al.map((p) => p.username).sort()).toEqual(['ALZ', 'Alpine', 'al_x', 'alpha', 'alx']);
    // "_" is a character here, not a LIKE wildcard.
    const underscore = await listProfiles(db, { q: 'al_', position: null, limit: 10 });
    expect(underscore.map((p) => p.username)).toEqual(['al_x']);
    expect(await listProfiles(db, { q: 'zzz', position: null, limit: 10 })).toEqual([]);
  });

  it('listProfiles searches a prefix of the documented maximum length, in multi-byte text too', async () => {
    const { db } = engine();
    const long = 'é'.repeat(SEARCH_MAX_CHARS);
    const hit = await insertUser(db, { username: `${long}x` });
    await insertUser(db, { username: `${'é'.repeat(SEARCH_MAX_CHARS - 1)}e` });
    await insertUser(db, { username: `${'a'.repeat(SEARCH_MAX_CHARS)}` });
    const found = await listProfiles(db, { q: long, position: null, limit: 10 });
    expect(found.map((p) => p.userId)).toEqual([hit.id]);
    const ascii = await listProfiles(db, {
      q: 'A'.repeat(SEARCH_MAX_CHARS),
      position: null,
      limit: 10,
    });
    expect(ascii).toHaveLength(1);
  });

  it('updateProfile changes only given fields and refuses a stale expectedUpdatedAt', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const [profile] = await db.select().from(profiles).where(eq(profiles.userId, user.id));
    const first = await updateProfile(db, {
      userId: user.id,
      bio: 'hello',
      updatedAt: later(1),
      expectedUpdatedAt: profile!.updatedAt,
    });
    expect(first.changed).toBe(true);
    expect(first.profile).toMatchObject({ bio: 'hello', city: '', updatedAt: later(1) });
    const stale = await updateProfile(db, {
      userId: user.id,
      city: 'Paris',
      updatedAt: later(2),
      expectedUpdatedAt: profile!.updatedAt,
    });
    expect(stale.changed).toBe(false);
    expect(stale.profile).toMatchObject({ bio: 'hello', city: '', updatedAt: later(1) });
    const unconditional = await updateProfile(db, {
      userId: user.id,
      city: 'Paris',
      updatedAt: later(3),
    });
    expect(unconditional.profile).toMatchObject({ bio: 'hello', city: 'Paris' });
    const missing = await updateProfile(db, { userId: newId(), bio: 'x', updatedAt: later(4) });
    expect(missing).toEqual({ changed: false, profile: undefined });
  });
};
