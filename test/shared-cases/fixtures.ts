import type { Database } from '../../src/db/client';
import {
  images,
  likes,
  oneTimeTokens,
  posts,
  profiles,
  requestLogs,
  sessions,
  statuses,
  users,
} from '../../src/db/schema';
import { newId } from '../../src/lib/ids';

/** Rows for the shared cases, written with plain drizzle inserts (no feature code). */

let serial = 0;
const next = () => ++serial;

export async function insertUser(
  db: Database,
  over: Partial<typeof users.$inferInsert> = {},
): Promise<typeof users.$inferSelect> {
  const n = next();
  const now = new Date();
  const [row] = await db
    .insert(users)
    .values({
      id: newId(),
      email: `user${n}@example.com`,
      username: `user${n}`,
      passwordHash: 'not-a-real-hash',
      updatedAt: now,
      ...over,
    })
    .returning();
  await db.insert(profiles).values({ userId: row!.id, updatedAt: now }).onConflictDoNothing();
  return row!;
}

export async function insertImage(
  db: Database,
  ownerId: string,
  over: Partial<typeof images.$inferInsert> = {},
) {
  const [row] = await db
    .insert(images)
    .values({
      key: `images/${ownerId}/${newId()}.png`,
      ownerId,
      purpose: 'post',
      contentType: 'image/png',
      size: 100,
      width: 10,
      height: 10,
      ...over,
    })
    .returning();
  return row!;
}

export async function insertPost(
  db: Database,
  userId: string,
  over: Partial<typeof posts.$inferInsert> = {},
) {
  const createdAt = over.createdAt ?? new Date();
  const [row] = await db
    .insert(posts)
    .values({
      id: newId(createdAt.getTime()),
      userId,
      body: `post ${next()}`,
      createdAt,
      updatedAt: createdAt,
      ...over,
    })
    .returning();
  return row!;
}

export async function insertStatus(
  db: Database,
  userId: string,
  over: Partial<typeof statuses.$inferInsert> = {},
) {
  const createdAt = over.createdAt ?? new Date();
  const [row] = await db
    .insert(statuses)
    .values({
      id: newId(createdAt.getTime()),
      userId,
      content: `status ${next()}`,
      createdAt,
      updatedAt: createdAt,
      ...over,
    })
    .returning();
  return row!;
}

export async function insertLike(db: Database, postId: string, userId: string, at = new Date()) {
  await db.insert(likes).values({ postId, userId, createdAt: at });
}

export async function insertSession(
  db: Database,
  userId: string,
  over: Partial<typeof sessions.$inferInsert> = {},
) {
  const id = newId();
  const [row] = await db
    .insert(sessions)
    .values({
      id,
      userId,
      familyId: id,
      tokenHash: `hash-${id}`,
      expiresAt: new Date(Date.now() + 3_600_000),
      familyExpiresAt: new Date(Date.now() + 90 * 86_400_000),
      ...over,
    })
    .returning();
  return row!;
}

export async function insertOneTimeToken(
  db: Database,
  userId: string,
  over: Partial<typeof oneTimeTokens.$inferInsert> = {},
) {
  const id = newId();
  const [row] = await db
    .insert(oneTimeTokens)
    .values({
      id,
      userId,
      purpose: 'password_reset',
      tokenHash: `token-${id}`,
      expiresAt: new Date(Date.now() + 3_600_000),
      ...over,
    })
    .returning();
  return row!;
}

export async function insertRequestLog(
  db: Database,
  over: Partial<typeof requestLogs.$inferInsert> = {},
) {
  const createdAt = over.createdAt ?? new Date();
  const [row] = await db
    .insert(requestLogs)
    .values({
      id: newId(createdAt.getTime()),
      createdAt,
      method: 'GET',
      route: '/health',
      path: '/health',
      status: 200,
      durationMs: 1.5,
      requestId: newId(),
      ...over,
    })
    .returning();
  return row!;
}
