import { and, desc, eq, sql } from 'drizzle-orm';
import { batchNamed } from '../../db/batch';
import type { Database } from '../../db/client';
import { keysetBefore } from '../../db/keyset';
import { affectedRows } from '../../db/result';
import { profiles, statuses, users } from '../../db/schema';
import type { Keyset } from '../../lib/pagination';

const statusColumns = {
  id: statuses.id,
  content: statuses.content,
  createdAt: statuses.createdAt,
  updatedAt: statuses.updatedAt,
  authorId: statuses.userId,
  authorUsername: users.username,
  authorAvatarKey: profiles.avatarKey,
};

function selectStatuses(db: Database) {
  return db
    .select(statusColumns)
    .from(statuses)
    .innerJoin(users, eq(users.id, statuses.userId))
    .leftJoin(profiles, eq(profiles.userId, statuses.userId));
}

export type StatusRow = NonNullable<Awaited<ReturnType<typeof findStatus>>>;

export async function findStatus(db: Database, id: string) {
  const [row] = await selectStatuses(db).where(eq(statuses.id, id)).limit(1);
  return row;
}

/** Newest first over (created_at, id); limit + 1 rows so the caller knows if more exist. */
export function listStatuses(
  db: Database,
  input: { username?: string; position: Keyset | null; limit: number },
) {
  return selectStatuses(db)
    .where(
      and(
        input.username === undefined
          ? undefined
          : sql`${statuses.userId} = (select filter_user.id from ${users} filter_user where lower(filter_user.username) = lower(${input.username}))`,
        keysetBefore(statuses.createdAt, statuses.id, input.position),
      ),
    )
    .orderBy(desc(statuses.createdAt), desc(statuses.id))
    .limit(input.limit + 1);
}

/** Insert (a no-op if the id exists, so an idempotent retry is safe) and read back, one batch. */
export async function createStatus(
  db: Database,
  input: { id: string; authorId: string; content: string; now: number },
) {
  const { status } = await batchNamed(db, {
    insert: db
      .insert(statuses)
      .values({
        id: input.id,
        userId: input.authorId,
        content: input.content,
        createdAt: new Date(input.now),
        updatedAt: new Date(input.now),
      })
      .onConflictDoNothing({ target: statuses.id }),
    status: selectStatuses(db).where(eq(statuses.id, input.id)).limit(1),
  });
  return status[0];
}

/** With `expectedUpdatedAt`, only if nobody changed it since it was read (If-Match). */
export async function updateStatusContent(
  db: Database,
  input: { id: string; content: string; updatedAt: Date; expectedUpdatedAt?: Date },
) {
  const [result, rows] = await db.batch([
    db
      .update(statuses)
      .set({ content: input.content, updatedAt: input.updatedAt })
      .where(
        and(
          eq(statuses.id, input.id),
          input.expectedUpdatedAt ? eq(statuses.updatedAt, input.expectedUpdatedAt) : undefined,
        ),
      ),
    selectStatuses(db).where(eq(statuses.id, input.id)).limit(1),
  ]);
  return { changed: affectedRows(result) === 1, status: rows[0] };
}

export async function deleteStatus(db: Database, input: { id: string; expectedUpdatedAt?: Date }) {
  const result = await db
    .delete(statuses)
    .where(
      and(
        eq(statuses.id, input.id),
        input.expectedUpdatedAt ? eq(statuses.updatedAt, input.expectedUpdatedAt) : undefined,
      ),
    );
  return affectedRows(result) === 1;
}
