import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { oneTimeTokens, profiles, sessions, users } from '../../src/db/schema';
import {
  changePassword,
  consumeEmailVerification,
  consumePasswordReset,
  createAccount,
  findAccountById,
  findAccountByIdentifier,
  findUsableOneTimeToken,
  issueOneTimeToken,
  type NewAccount,
} from '../../src/features/auth/auth.queries';
import {
  findSessionByTokenHash,
  type NewSession,
  revokeEverySession,
  revokeFamily,
  revokeReusedFamily,
  revokeUserSessions,
  rotateSession,
  spendGraceReplay,
  startSession,
} from '../../src/features/auth/sessions.queries';
import { accountTakenConflict } from '../../src/lib/accounts';
import { isUniqueViolation } from '../../src/lib/db-errors';
import { newId } from '../../src/lib/ids';
import { insertOneTimeToken, insertSession, insertUser } from './fixtures';
import type { CaseSuite } from './harness';

const NOW = new Date(Date.UTC(2026, 4, 1, 12));
const HOUR = 3_600_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);
const FAMILY_END = later(90 * 24 * HOUR);

const account = (name: string, over: Partial<NewAccount> = {}): NewAccount => ({
  id: newId(),
  email: `${name}@example.com`,
  username: name,
  passwordHash: `hash-of-${name}`,
  verification: { id: newId(), tokenHash: `verify-${name}-${newId()}`, expiresAt: later(HOUR) },
  ...over,
});

const session = (over: Partial<NewSession> = {}): NewSession => ({
  id: newId(),
  tokenHash: `refresh-${newId()}`,
  expiresAt: later(24 * HOUR),
  userAgent: 'vitest',
  ...over,
});

/** A login's first session, in a family that ends at `familyExpiresAt`. */
const startFamily = (db: Database, userId: string, s: NewSession, familyExpiresAt = FAMILY_END) =>
  startSession(db, { userId, session: s, familyExpiresAt, now: NOW });

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

export const authCases: CaseSuite = (engine) => {
  it('createAccount writes the user, its profile and a verification token together', async () => {
    const { db } = engine();
    const a = account('ada');
    await createAccount(db, a, NOW);
    const found = await findAccountById(db, a.id);
    expect(found).toEqual({
      id: a.id,
      email: 'ada@example.com',
      username: 'ada',
      passwordHash: 'hash-of-ada',
      isActive: true,
      emailVerified: false,
      pendingEmail: null,
      tokenGeneration: 0,
    });
    expect(await db.$count(profiles, eq(profiles.userId, a.id))).toBe(1);
    const usable = await findUsableOneTimeToken(
      db,
      a.verification.tokenHash,
      'email_verification',
      NOW,
    );
    expect(usable).toEqual({ id: a.verification.id, userId: a.id });
  });

  it('a taken email or username (any case) is a 409 naming the field, with nothing half-written', async () => {
    const { db } = engine();
    await createAccount(db, account('Grace'), NOW);
    const sameEmail = account('other', { email: 'GRACE@example.com' });
    const emailErr = await caught(() => createAccount(db, sameEmail, NOW));
    expect(accountTakenConflict(emailErr)).toMatchObject({ status: 409, code: 'email_taken' });
    const sameName = account('GRACE_', { username: 'grace' });
    const nameErr = await caught(() => createAccount(db, sameName, NOW));
    expect(accountTakenConflict(nameErr)).toMatchObject({ status: 409, code: 'username_taken' });
    expect(await db.$count(users)).toBe(1);
    expect(await db.$count(profiles)).toBe(1);
    expect(await db.$count(oneTimeTokens)).toBe(1);
    expect(accountTakenConflict(new Error('other'))).toBeNull();
  });

  it('findAccountByIdentifier matches email and username case-insensitively', async () => {
    const { db } = engine();
    const a = account('Linus');
    await createAccount(db, a, NOW);
    expect((await findAccountByIdentifier(db, { email: 'LINUS@EXAMPLE.COM' }))?.id).toBe(a.id);
    expect((await findAccountByIdentifier(db, { username: 'linus' }))?.id).toBe(a.id);
    expect(await findAccountByIdentifier(db, { username: 'nobody' })).toBeUndefined();
    expect(await findAccountById(db, newId())).toBeUndefined();
  });

  it('changePassword sets the hash and revokes every other session family', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const kept = await insertSession(db, user.id);
    const other = await insertSession(db, user.id);
    await changePassword(
      db,
      { userId: user.id, passwordHash: 'new-hash', keepFamilyId: kept.familyId },
      NOW,
    );
    expect(await findAccountById(db, user.id)).toMatchObject({
      passwordHash: 'new-hash',
      tokenGeneration: 1,
    });
    const rows = await db.select().from(sessions);
    expect(rows.find((s) => s.id === kept.id)?.revokedAt).toBeNull();
    expect(rows.find((s) => s.id === other.id)?.revokedAt).toEqual(NOW);
    await changePassword(db, { userId: user.id, passwordHash: 'newer' }, later(1));
    const [keptNow] = await db.select().from(sessions).where(eq(sessions.id, kept.id));
    expect(keptNow?.revokedAt).toEqual(later(1));
  });

  it('issueOneTimeToken spends earlier unused tokens of the same purpose only', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const oldReset = await insertOneTimeToken(db, user.id, { purpose: 'password_reset' });
    const verify = await insertOneTimeToken(db, user.id, { purpose: 'email_verification' });
    const token = { id: newId(), tokenHash: `reset-${newId()}`, expiresAt: later(HOUR) };
    await issueOneTimeToken(db, { userId: user.id, purpose: 'password_reset', token }, NOW);
    const byId = new Map((await db.select().from(oneTimeTokens)).map((t) => [t.id, t]));
    expect(byId.get(oldReset.id)?.usedAt).toEqual(NOW);
    expect(byId.get(verify.id)?.usedAt).toBeNull();
    expect(byId.get(token.id)).toMatchObject({ usedAt: null, purpose: 'password_reset' });
  });

  it('findUsableOneTimeToken refuses used, expired, other-purpose and inactive-account tokens', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const good = await insertOneTimeToken(db, user.id, { expiresAt: later(HOUR) });
    const used = await insertOneTimeToken(db, user.id, { expiresAt: later(HOUR), usedAt: NOW });
    const expired = await insertOneTimeToken(db, user.id, { expiresAt: NOW });
    const find = (hash: string, purpose: 'password_reset' | 'email_verification') =>
      findUsableOneTimeToken(db, hash, purpose, NOW);
    expect(await find(good.tokenHash, 'password_reset')).toEqual({ id: good.id, userId: user.id });
    expect(await find(good.tokenHash, 'email_verification')).toBeUndefined();
    expect(await find(used.tokenHash, 'password_reset')).toBeUndefined();
    expect(await find(expired.tokenHash, 'password_reset')).toBeUndefined();
    await db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    expect(await find(good.tokenHash, 'password_reset')).toBeUndefined();
  });

  it('consumeEmailVerification succeeds once: the second call with the token changes nothing', async () => {
    const { db } = engine();
    const a = account('verify_me');
    await createAccount(db, a, NOW);
    const token = { id: a.verification.id, userId: a.id };
    expect(await consumeEmailVerification(db, token, later(1))).toBe(true);
    const after = await db.select().from(users).where(eq(users.id, a.id));
    expect(after[0]).toMatchObject({ emailVerified: true, updatedAt: later(1) });
    expect(await consumeEmailVerification(db, token, later(2))).toBe(false);
    const again = await db.select().from(users).where(eq(users.id, a.id));
    expect(again[0]?.updatedAt).toEqual(later(1));
  });

  it('consumeEmailVerification moves a pending address into place', async () => {
    const { db } = engine();
    const user = await insertUser(db, {
      email: 'old@example.com',
      pendingEmail: 'new@example.com',
    });
    const verify = await insertOneTimeToken(db, user.id, { purpose: 'email_verification' });
    expect(await consumeEmailVerification(db, { id: verify.id, userId: user.id }, NOW)).toBe(true);
    expect(await findAccountById(db, user.id)).toMatchObject({
      email: 'new@example.com',
      pendingEmail: null,
      emailVerified: true,
    });
  });

  it('consumePasswordReset sets the password, revokes all sessions, spends the token, once', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const s1 = await insertSession(db, user.id);
    const s2 = await insertSession(db, user.id);
    const reset = await insertOneTimeToken(db, user.id, { purpose: 'password_reset' });
    const token = { id: reset.id, userId: user.id };
    expect(await consumePasswordReset(db, token, 'reset-hash', NOW)).toBe(true);
    expect(await findAccountById(db, user.id)).toMatchObject({
      passwordHash: 'reset-hash',
      tokenGeneration: 1,
    });
    const revoked = await db.select({ id: sessions.id, at: sessions.revokedAt }).from(sessions);
    expect(revoked.map((r) => r.at)).toEqual([NOW, NOW]);
    expect(revoked.map((r) => r.id).sort()).toEqual([s1.id, s2.id].sort());
    const [spent] = await db.select().from(oneTimeTokens).where(eq(oneTimeTokens.id, reset.id));
    expect(spent?.usedAt).toEqual(NOW);
    // A session started after the reset must survive a replay of the same token.
    const fresh = await insertSession(db, user.id);
    expect(await consumePasswordReset(db, token, 'replayed-hash', later(1))).toBe(false);
    expect(await findAccountById(db, user.id)).toMatchObject({
      passwordHash: 'reset-hash',
      tokenGeneration: 1,
    });
    const [freshNow] = await db.select().from(sessions).where(eq(sessions.id, fresh.id));
    expect(freshNow?.revokedAt).toBeNull();
  });

  it('startSession starts a family, and rehashes the password in the same batch when asked', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const s = session();
    await startFamily(db, user.id, s);
    expect(await findSessionByTokenHash(db, s.tokenHash)).toEqual({
      id: s.id,
      userId: user.id,
      familyId: s.id,
      expiresAt: s.expiresAt,
      familyExpiresAt: FAMILY_END,
      rotatedAt: null,
      revokedAt: null,
      userActive: true,
      tokenGeneration: 0,
    });
    const t = session();
    await startSession(db, {
      userId: user.id,
      session: t,
      familyExpiresAt: FAMILY_END,
      now: NOW,
      rehashedPassword: 'rehash',
    });
    expect((await findAccountById(db, user.id))?.passwordHash).toBe('rehash');
    expect(await findSessionByTokenHash(db, 'no-such-hash')).toBeUndefined();
    // A duplicate token hash is refused by its unique index, recognisably on both engines.
    const err = await caught(() => startFamily(db, user.id, session({ tokenHash: s.tokenHash })));
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('rotateSession rotates once: a racing second rotation of the same parent gets false', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const parent = session();
    await startFamily(db, user.id, parent);
    const child = session();
    expect(await rotateSession(db, parent.id, child, later(1))).toBe(true);
    const rows = new Map((await db.select().from(sessions)).map((r) => [r.id, r]));
    expect(rows.get(parent.id)?.rotatedAt).toEqual(later(1));
    expect(rows.get(child.id)).toMatchObject({
      userId: user.id,
      familyId: parent.id,
      parentId: parent.id,
      tokenHash: child.tokenHash,
      expiresAt: child.expiresAt,
      createdAt: later(1),
      userAgent: 'vitest',
    });
    expect(await rotateSession(db, parent.id, session(), later(2))).toBe(false);
    expect(await db.$count(sessions)).toBe(2);
  });

  it('rotateSession refuses a revoked or expired parent', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const revoked = session();
    await startFamily(db, user.id, revoked);
    await revokeFamily(db, revoked.id, NOW);
    expect(await rotateSession(db, revoked.id, session(), later(1))).toBe(false);
    const expired = session({ expiresAt: later(10) });
    await startFamily(db, user.id, expired);
    expect(await rotateSession(db, expired.id, session(), later(10))).toBe(false);
    expect(await db.$count(sessions)).toBe(2);
  });

  it('rotateSession copies the family end, and refuses a family past its end', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const parent = session();
    await startFamily(db, user.id, parent, later(5_000));
    const child = session();
    expect(await rotateSession(db, parent.id, child, later(1_000))).toBe(true);
    const [row] = await db.select().from(sessions).where(eq(sessions.id, child.id));
    expect(row?.familyExpiresAt).toEqual(later(5_000));
    expect(await rotateSession(db, child.id, session(), later(5_000))).toBe(false);
  });

  it('spendGraceReplay allows one replay, only inside the grace window, and adds no session', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const parent = session();
    await startFamily(db, user.id, parent);
    expect(await rotateSession(db, parent.id, session(), later(1_000))).toBe(true);
    // Rotated at +1 s; a grace window starting after that refuses.
    expect(await spendGraceReplay(db, parent.id, later(2_000), later(1_500))).toBe(false);
    expect(await spendGraceReplay(db, parent.id, later(2_000), later(500))).toBe(true);
    expect(await spendGraceReplay(db, parent.id, later(3_000), later(500))).toBe(false);
    expect(await db.$count(sessions)).toBe(2);
    // Never for a token that was not rotated.
    const fresh = session();
    await startFamily(db, user.id, fresh);
    expect(await spendGraceReplay(db, fresh.id, later(1), NOW)).toBe(false);
  });

  it('revokeReusedFamily and revokeEverySession also retire the access tokens', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const a = await insertSession(db, user.id);
    const b = await insertSession(db, user.id);
    const generation = async () =>
      (await db.select().from(users).where(eq(users.id, user.id)))[0]?.tokenGeneration;
    await revokeReusedFamily(db, { familyId: a.familyId, userId: user.id }, NOW);
    expect(await generation()).toBe(1);
    let byId = new Map((await db.select().from(sessions)).map((r) => [r.id, r.revokedAt]));
    expect(byId.get(a.id)).toEqual(NOW);
    expect(byId.get(b.id)).toBeNull();
    await revokeEverySession(db, user.id, later(1));
    expect(await generation()).toBe(2);
    byId = new Map((await db.select().from(sessions)).map((r) => [r.id, r.revokedAt]));
    expect(byId.get(b.id)).toEqual(later(1));
  });

  it('revokeFamily and revokeUserSessions revoke what they name and keep earlier revocations', async () => {
    const { db } = engine();
    const user = await insertUser(db);
    const other = await insertUser(db);
    const a = await insertSession(db, user.id);
    const b = await insertSession(db, user.id);
    const c = await insertSession(db, user.id, { revokedAt: new Date(NOW.getTime() - HOUR) });
    const theirs = await insertSession(db, other.id);
    await revokeFamily(db, a.familyId, NOW);
    await db.batch([revokeUserSessions(db, user.id, later(1), b.familyId)]);
    let byId = new Map((await db.select().from(sessions)).map((r) => [r.id, r.revokedAt]));
    expect(byId.get(a.id)).toEqual(NOW);
    expect(byId.get(b.id)).toBeNull();
    expect(byId.get(c.id)).toEqual(new Date(NOW.getTime() - HOUR));
    await revokeUserSessions(db, user.id, later(2));
    byId = new Map((await db.select().from(sessions)).map((r) => [r.id, r.revokedAt]));
    expect(byId.get(b.id)).toEqual(later(2));
    expect(byId.get(a.id)).toEqual(NOW);
    expect(byId.get(theirs.id)).toBeNull();
  });
};
