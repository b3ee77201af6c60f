import { and, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../../db/client';
import { sessions, users } from '../../db/schema';
import { changedRows } from '../../lib/db-errors';
import { retireAccessTokens } from '../../lib/revocation';

/** A refresh session about to be stored (the token itself never is, only its hash). */
export interface NewSession {
  id: string;
  tokenHash: string;
  expiresAt: Date;
  userAgent: string | null;
}

export interface PresentedSession {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  familyExpiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  userActive: boolean;
  /** The user's current token generation, for the access token a refresh signs. */
  tokenGeneration: number;
}

/**
 * Starts a new family (one login) that ends at `familyExpiresAt` however often it rotates;
 * rehashes the password in the same batch when asked.
 */
export async function startSession(
  db: Database,
  input: {
    userId: string;
    session: NewSession;
    familyExpiresAt: Date;
    now: Date;
    rehashedPassword?: string;
  },
): Promise<void> {
  const { userId, session, now } = input;
  const insert = db.insert(sessions).values({
    ...session,
    userId,
    familyId: session.id,
    parentId: null,
    createdAt: now,
    familyExpiresAt: input.familyExpiresAt,
  });
  if (input.rehashedPassword === undefined) {
    await insert;
    return;
  }
  await db.batch([
    insert,
    db
      .update(users)
      .set({ passwordHash: input.rehashedPassword, updatedAt: now })
      .where(eq(users.id, userId)),
  ]);
}

export async function findSessionByTokenHash(
  db: Database,
  tokenHash: string,
): Promise<PresentedSession | undefined> {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      familyId: sessions.familyId,
      expiresAt: sessions.expiresAt,
      familyExpiresAt: sessions.familyExpiresAt,
      rotatedAt: sessions.rotatedAt,
      revokedAt: sessions.revokedAt,
      userActive: users.isActive,
      tokenGeneration: users.tokenGeneration,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** Neither revoked nor past its sliding expiry or its family's absolute end. */
const usable = (now: Date, table: 'p' | 'sessions') => {
  const t = sql.raw(table);
  return sql`${t}.revoked_at is null and ${t}.expires_at > ${now.getTime()} and ${t}.family_expires_at > ${now.getTime()}`;
};

// The child copies user, family and the family's end from its parent inside the INSERT ...
// SELECT, whose WHERE is the guard: the row is only written when the parent is still in the
// stated condition. The selection is keyed by column name; drizzle refuses one that does not
// match the table.
const parent = alias(sessions, 'p');
const insertChild = (db: Database, parentId: string, child: NewSession, now: Date, guard: SQL) =>
  db.insert(sessions).select(
    db
      .select({
        id: sql`${child.id}`.as('id'),
        userId: parent.userId,
        familyId: parent.familyId,
        parentId: parent.id,
        tokenHash: sql`${child.tokenHash}`.as('token_hash'),
        expiresAt: sql`${child.expiresAt.getTime()}`.as('expires_at'),
        rotatedAt: sql`null`.as('rotated_at'),
        revokedAt: sql`null`.as('revoked_at'),
        userAgent: sql`${child.userAgent}`.as('user_agent'),
        createdAt: sql`${now.getTime()}`.as('created_at'),
        familyExpiresAt: parent.familyExpiresAt,
        graceUsedAt: sql`null`.as('grace_used_at'),
      })
      .from(parent)
      .where(sql`${parent.id} = ${parentId} and ${usable(now, 'p')} and ${guard}`),
  );

/**
 * Rotates an unspent session into a child, in one batch (one transaction). When two refreshes
 * race with the same token, only the first batch finds rotated_at still null: the other
 * inserts nothing and gets false, and the caller falls back to the grace rule.
 */
export async function rotateSession(
  db: Database,
  parentId: string,
  child: NewSession,
  now: Date,
): Promise<boolean> {
  const [inserted] = await db.batch([
    insertChild(db, parentId, child, now, sql`p.rotated_at is null`),
    db
      .update(sessions)
      .set({ rotatedAt: now })
      .where(
        and(
          eq(sessions.id, parentId),
          isNull(sessions.rotatedAt),
          sql`exists (select 1 from ${sessions} c where c.id = ${child.id})`,
        ),
      ),
  ]);
  return changedRows(inserted) === 1;
}

/**
 * The grace rule: a token rotated at or after `graceStart` may be replayed once more. The
 * replay gets an access token only (no child session), so it cannot branch the family;
 * marking it in the same statement keeps "once" true under a race.
 */
export async function spendGraceReplay(
  db: Database,
  sessionId: string,
  now: Date,
  graceStart: Date,
): Promise<boolean> {
  const result = await db
    .update(sessions)
    .set({ graceUsedAt: now })
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.graceUsedAt),
        sql`${sessions.rotatedAt} >= ${graceStart.getTime()}`,
        usable(now, 'sessions'),
      ),
    );
  return changedRows(result) === 1;
}

const revokeFamilyStatement = (db: Database, familyId: string, now: Date) =>
  db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));

/** Revokes every session of one family (one login and all its rotations). */
export async function revokeFamily(db: Database, familyId: string, now: Date): Promise<void> {
  await revokeFamilyStatement(db, familyId, now);
}

/**
 * A spent refresh token came back: someone holds a copy. Revokes its family and retires
 * every access token of the user, in one batch.
 */
export async function revokeReusedFamily(
  db: Database,
  session: { familyId: string; userId: string },
  now: Date,
): Promise<void> {
  await db.batch([
    revokeFamilyStatement(db, session.familyId, now),
    retireAccessTokens(db, session.userId),
  ]);
}

/** Log out everywhere: every session of the user and every access token, in one batch. */
export async function revokeEverySession(db: Database, userId: string, now: Date): Promise<void> {
  await db.batch([revokeUserSessions(db, userId, now), retireAccessTokens(db, userId)]);
}

/** Revokes every session of a user, or every one but `keepFamilyId`; a statement for a batch. */
export const revokeUserSessions = (
  db: Database,
  userId: string,
  now: Date,
  keepFamilyId?: string,
) =>
  db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepFamilyId === undefined ? undefined : ne(sessions.familyId, keepFamilyId),
      ),
    );
