import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';

/**
 * The `set` value that retires every access token signed so far: tokens carry the generation
 * they were signed under, and `authenticate` refuses any other. Used inside the statement
 * that causes the revocation (a password change, a deactivation), so both land together.
 */
export const NEXT_TOKEN_GENERATION = sql`${users.tokenGeneration} + 1`;

/** The same as a statement of its own, for a batch (log out everywhere, refresh-token reuse). */
export const retireAccessTokens = (db: Database, userId: string) =>
  db.update(users).set({ tokenGeneration: NEXT_TOKEN_GENERATION }).where(eq(users.id, userId));
