import { z } from '@hono/zod-openapi';
import { violatedUniqueConstraint } from './db-errors';
import { avatarUrl } from './media-urls';
import { type ApiError, conflict } from './problem';

export const EMAIL_MAX_LENGTH = 254;
export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,30}$/;

export const EmailField = z
  .email({ error: 'Must be an email address.' })
  .max(EMAIL_MAX_LENGTH)
  .openapi({ example: 'ada@example.com', description: 'Unique, compared case-insensitively.' });

export const UsernameField = z
  .string()
  .regex(USERNAME_PATTERN, {
    error: '3 to 30 characters: letters, digits and underscores only.',
  })
  .openapi({ example: 'ada_l', description: 'Unique, compared case-insensitively.' });

export const UserProfileSchema = z
  .object({
    username: z.string().openapi({ example: 'ada_l' }),
    bio: z.string().openapi({ example: 'Writes about engines.' }),
    city: z.string().openapi({ example: 'London' }),
    avatar_url: z
      .string()
      .nullable()
      .openapi({ example: 'https://api.ublog.example/api/v1/images/01938f0e-avatar' }),
    post_count: z.number().int().min(0).openapi({ example: 3 }),
    created_at: z.iso.datetime().openapi({ example: '2026-01-05T09:30:00.000Z' }),
  })
  .openapi('UserProfile', { description: "The account's public profile, inline." });

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11' }),
    email: z.string().openapi({
      example: 'ada@example.com',
      description: 'The address in use: for login, password resets and notices.',
    }),
    pending_email: z.string().nullable().openapi({
      example: null,
      description:
        'A new address asked for with PATCH /users/me and not yet verified (else null). It replaces `email` when the token mailed to it is posted to /auth/verify-email; until then it is used for nothing.',
    }),
    username: z.string().openapi({ example: 'ada_l' }),
    email_verified: z
      .boolean()
      .openapi({ example: false, description: 'Whether `email` is verified.' }),
    is_admin: z.boolean().openapi({ example: false }),
    created_at: z.iso.datetime().openapi({ example: '2026-01-05T09:30:00.000Z' }),
    profile: UserProfileSchema,
  })
  .openapi('User', { description: 'The signed-in account. Never carries a password or token.' });

export type User = z.infer<typeof UserSchema>;

/** A user joined with its profile, as the queries return it. */
export interface UserRow {
  id: string;
  email: string;
  pendingEmail: string | null;
  username: string;
  emailVerified: boolean;
  isAdmin: boolean;
  createdAt: Date;
  bio: string;
  city: string;
  avatarKey: string | null;
  postCount: number;
}

export function toUser(row: UserRow, origin: string): User {
  const createdAt = row.createdAt.toISOString();
  return {
    id: row.id,
    email: row.email,
    pending_email: row.pendingEmail,
    username: row.username,
    email_verified: row.emailVerified,
    is_admin: row.isAdmin,
    created_at: createdAt,
    profile: {
      username: row.username,
      bio: row.bio,
      city: row.city,
      avatar_url: avatarUrl(origin, row.avatarKey),
      post_count: row.postCount,
      created_at: createdAt,
    },
  };
}

const TAKEN_BY_INDEX: Record<string, 'email' | 'username'> = {
  users_email_lower_unique: 'email',
  users_username_lower_unique: 'username',
};

/**
 * A 409 when a write hit the case-insensitive unique index on email or username, else null.
 * The index decides (not a read before the write), so two racing sign-ups cannot both win.
 */
export function accountTakenConflict(err: unknown): ApiError | null {
  const index = violatedUniqueConstraint(err);
  const field = index === null ? undefined : TAKEN_BY_INDEX[index];
  return field ? takenConflict(field) : null;
}

/** The 409 for a taken email or username, pointing at the field. */
export const takenConflict = (field: 'email' | 'username') =>
  conflict(`That ${field} is already taken.`, `${field}_taken`, {
    errors: [{ path: `/body/${field}`, message: `This ${field} is already taken.` }],
  });
