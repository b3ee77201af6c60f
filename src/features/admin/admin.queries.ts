import { and, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { keysetBefore } from '../../db/keyset';
import { startsWith, startsWithIgnoringCase } from '../../db/prefix';
import {
  dailyStats,
  failedJobs,
  jobRuns,
  profiles,
  requestLogs,
  sessions,
  users,
} from '../../db/schema';
import type { Keyset } from '../../lib/pagination';
import { NEXT_TOKEN_GENERATION } from '../../lib/revocation';

const adminUserColumns = {
  id: users.id,
  email: users.email,
  username: users.username,
  emailVerified: users.emailVerified,
  isActive: users.isActive,
  isAdmin: users.isAdmin,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  postCount: sql<number>`coalesce(${profiles.postCount}, 0)`,
  likeCount: sql<number>`(select count(*) from likes where likes.user_id = ${users.id})`,
};

export type AdminUserRow = NonNullable<Awaited<ReturnType<typeof findAdminUser>>>;

export async function listUsers(
  db: Database,
  input: { q?: string; limit: number; after: Keyset | null },
) {
  return db
    .select(adminUserColumns)
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(
      and(
        input.q
          ? or(
              startsWithIgnoringCase(users.username, input.q),
              startsWithIgnoringCase(users.email, input.q),
            )
          : undefined,
        keysetBefore(users.createdAt, users.id, input.after),
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.limit + 1);
}

export async function findAdminUser(db: Database, id: string) {
  const [row] = await db
    .select(adminUserColumns)
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(eq(users.id, id))
    .limit(1);
  return row ?? null;
}

/**
 * Applies an admin change. Deactivation revokes every live session in the same batch, so
 * no refresh token outlives it, and retires every access token (the token generation), so
 * none comes back if the account is reactivated.
 */
export async function updateUserFlags(
  db: Database,
  input: { id: string; isActive?: boolean; isAdmin?: boolean; now: number },
) {
  const now = new Date(input.now);
  const set = {
    ...(input.isActive === undefined ? {} : { isActive: input.isActive }),
    ...(input.isAdmin === undefined ? {} : { isAdmin: input.isAdmin }),
    ...(input.isActive === false ? { tokenGeneration: NEXT_TOKEN_GENERATION } : {}),
    updatedAt: now,
  };
  const update = db.update(users).set(set).where(eq(users.id, input.id));
  if (input.isActive === false) {
    await db.batch([
      update,
      db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, input.id), isNull(sessions.revokedAt))),
    ]);
  } else {
    await update;
  }
}

export interface RequestLogQuery {
  method?: string;
  status?: string;
  path?: string;
  username?: string;
  since?: string;
  until?: string;
  limit: number;
  after: Keyset | null;
}

function statusFilter(status: string | undefined) {
  if (!status) return undefined;
  if (/xx$/i.test(status)) {
    const floor = Number(status[0]) * 100;
    return and(gte(requestLogs.status, floor), lt(requestLogs.status, floor + 100));
  }
  return eq(requestLogs.status, Number(status));
}

export async function listRequestLogs(db: Database, input: RequestLogQuery) {
  return db
    .select()
    .from(requestLogs)
    .where(
      and(
        input.method ? eq(requestLogs.method, input.method) : undefined,
        statusFilter(input.status),
        input.path ? startsWith(requestLogs.path, input.path) : undefined,
        input.username
          ? sql`lower(${requestLogs.username}) = ${input.username.toLowerCase()}`
          : undefined,
        input.since ? gte(requestLogs.createdAt, new Date(input.since)) : undefined,
        input.until ? lt(requestLogs.createdAt, new Date(input.until)) : undefined,
        keysetBefore(requestLogs.createdAt, requestLogs.id, input.after),
      ),
    )
    .orderBy(desc(requestLogs.createdAt), desc(requestLogs.id))
    .limit(input.limit + 1);
}

export async function readDailyStats(db: Database, fromDay: string, toDay: string) {
  return db
    .select()
    .from(dailyStats)
    .where(and(gte(dailyStats.day, fromDay), sql`${dailyStats.day} <= ${toDay}`));
}

export async function listFailedJobs(db: Database, input: { limit: number; after: Keyset | null }) {
  return db
    .select()
    .from(failedJobs)
    .where(keysetBefore(failedJobs.failedAt, failedJobs.id, input.after))
    .orderBy(desc(failedJobs.failedAt), desc(failedJobs.id))
    .limit(input.limit + 1);
}

export async function findFailedJob(db: Database, id: string) {
  const [row] = await db.select().from(failedJobs).where(eq(failedJobs.id, id)).limit(1);
  return row ?? null;
}

export async function markRetried(db: Database, id: string, now: number) {
  await db
    .update(failedJobs)
    .set({ retriedAt: new Date(now) })
    .where(eq(failedJobs.id, id));
}

export async function listJobRuns(
  db: Database,
  input: { task?: string; limit: number; after: Keyset | null },
) {
  return db
    .select()
    .from(jobRuns)
    .where(
      and(
        input.task ? eq(jobRuns.job, input.task) : undefined,
        keysetBefore(jobRuns.startedAt, jobRuns.id, input.after),
      ),
    )
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(input.limit + 1);
}
