import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { oneTimeTokens } from '../db/schema';

// Statements on the emailed single-use tokens, for the batches of the features that issue or
// spend them (auth, and email changes in users).

export type OneTimePurpose = 'password_reset' | 'email_verification';

export interface NewOneTimeToken {
  id: string;
  tokenHash: string;
  expiresAt: Date;
}

export const insertOneTimeToken = (
  db: Database,
  userId: string,
  purpose: OneTimePurpose,
  token: NewOneTimeToken,
  now: Date,
) => db.insert(oneTimeTokens).values({ ...token, userId, purpose, createdAt: now });

/** Spends the user's unused tokens of `purpose`, or of every purpose; a statement for a batch. */
export const spendTokens = (
  db: Database,
  userId: string,
  purpose: OneTimePurpose | 'all',
  now: Date,
) =>
  db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oneTimeTokens.userId, userId),
        purpose === 'all' ? undefined : eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
      ),
    );
