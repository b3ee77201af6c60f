import { and, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../../db/client';
import { sessions, users } from '../../db/schema';
import { changedRows } from '../../lib/db-errors';

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
  rotatedAt: Date | null;
  revokedAt: Date | null;
  userActive: boolean;
}

/** Starts a new family (one login); rehashes the password in the same batch when asked. */
export async function startSession(
  db: Database,
  input: { userId: string; session: NewSession; now: Date; rehashedPassword?: string },
): Promise<void> {
  const { userId, session, now } = input;
  const insert = db.insert(sessions).values({
    ...session,
    userId,
    familyId: session.id,
    parentId: null,
    createdAt: now,
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
      rotatedAt: sessions.rotatedAt,
      revokedAt: sessions.revokedAt,
      userActive: users.isActive,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row;
}

// The child copies user and family from its parent inside the INSERT ... SELECT, whose WHERE
// is the guard: the row is only written when the parent is still in the stated condition.
// The selection is keyed by column name; drizzle refuses one that does not match the table.
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
      })
      .from(parent)
      .where(
        sql`${parent.id} = ${parentId} and ${parent.revokedAt} is null and ${parent.expiresAt} > ${now.getTime()} and ${guard}`,
      ),
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
 * The grace rule: a token rotated at or after `graceStart` may refresh once more (it then has
 * two children). Counting children in the same statement keeps "once" true under a race.
 */
export async function rotateWithinGrace(
  db: Database,
  parentId: string,
  child: NewSession,
  now: Date,
  graceStart: Date,
): Promise<boolean> {
  const result = await insertChild(
    db,
    parentId,
    child,
    now,
    sql`p.rotated_at >= ${graceStart.getTime()} and (select count(*) from ${sessions} c
      where c.family_id = p.family_id and c.parent_id = p.id) = 1`,
  );
  return changedRows(result) === 1;
}

/** Revokes every session of one family (one login and all its rotations). */
export async function revokeFamily(db: Database, familyId: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));
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
