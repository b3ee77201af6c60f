import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// Timestamps are integer milliseconds since the epoch (compact, index-friendly, and the same
// on D1 and libSQL); the API renders them as RFC 3339 strings.
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () =>
  timestamp('created_at').notNull().default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);
const bool = (name: string) => integer(name, { mode: 'boolean' });

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    emailVerified: bool('email_verified').notNull().default(false),
    isAdmin: bool('is_admin').notNull().default(false),
    isActive: bool('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull(),
    // Carried in every access token; bumping it retires every token signed before.
    tokenGeneration: integer('token_generation').notNull().default(0),
    // A new address waiting for its verification token; login and mail use `email` until then.
    pendingEmail: text('pending_email'),
  },
  (t) => [
    // Case-insensitive uniqueness: queries compare lower(column) = lower(?) to use these.
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_lower_unique').on(sql`lower(${t.username})`),
    index('users_created_id_idx').on(t.createdAt, t.id),
  ],
);

export const images = sqliteTable(
  'images',
  {
    key: text('key').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['post', 'avatar'] }).notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    thumbnailKey: text('thumbnail_key'),
    /** Set when the image cannot be decoded: it will never have a thumbnail. */
    thumbnailFailedAt: timestamp('thumbnail_failed_at'),
    /** When the sweep last queued its thumbnail job again (so it does not queue it twice). */
    thumbnailRequeuedAt: timestamp('thumbnail_requeued_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('images_owner_idx').on(t.ownerId),
    index('images_created_idx').on(t.createdAt),
    index('images_missing_thumbnail_idx')
      .on(t.createdAt)
      .where(sql`${t.thumbnailKey} is null and ${t.thumbnailFailedAt} is null`),
  ],
);

export const profiles = sqliteTable('profiles', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  bio: text('bio').notNull().default(''),
  city: text('city').notNull().default(''),
  avatarKey: text('avatar_key').references(() => images.key, { onDelete: 'set null' }),
  postCount: integer('post_count').notNull().default(0),
  updatedAt: timestamp('updated_at').notNull(),
});

// Refresh-token sessions. One login starts a family; every refresh adds a child row and
// marks its parent rotated. Only the SHA-256 of a token is stored.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: text('family_id').notNull(),
    parentId: text('parent_id'),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    rotatedAt: timestamp('rotated_at'),
    revokedAt: timestamp('revoked_at'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    // The family's absolute end (REFRESH_FAMILY_MAX_DAYS after its login), copied to each child.
    familyExpiresAt: timestamp('family_expires_at').notNull(),
    // When a rotated token spent its one replay inside the reuse grace window.
    graceUsedAt: timestamp('grace_used_at'),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_unique').on(t.tokenHash),
    index('sessions_family_idx').on(t.familyId),
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

// Single-use tokens sent by email (password reset, email verification), stored hashed.
export const oneTimeTokens = sqliteTable(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['password_reset', 'email_verification'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('one_time_tokens_hash_unique').on(t.tokenHash),
    index('one_time_tokens_user_idx').on(t.userId, t.purpose),
    index('one_time_tokens_expires_idx').on(t.expiresAt),
  ],
);

export const statuses = sqliteTable(
  'statuses',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('statuses_created_id_idx').on(t.createdAt, t.id),
    index('statuses_user_created_id_idx').on(t.userId, t.createdAt, t.id),
  ],
);

export const posts = sqliteTable(
  'posts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    imageKey: text('image_key').references(() => images.key, { onDelete: 'set null' }),
    // Denormalised: changed in the same batch as the like row that causes it.
    likeCount: integer('like_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('posts_created_id_idx').on(t.createdAt, t.id),
    index('posts_user_created_id_idx').on(t.userId, t.createdAt, t.id),
    index('posts_image_idx').on(t.imageKey),
  ],
);

export const likes = sqliteTable(
  'likes',
  {
    postId: text('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.userId] }),
    index('likes_post_created_idx').on(t.postId, t.createdAt, t.userId),
    index('likes_user_created_idx').on(t.userId, t.createdAt, t.postId),
  ],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state', { enum: ['in_flight', 'completed'] }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    responseLocation: text('response_location'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);

// Request logs keep no foreign key: a log outlives the account it mentions.
export const requestLogs = sqliteTable(
  'request_logs',
  {
    id: text('id').primaryKey(),
    createdAt: timestamp('created_at').notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    durationMs: real('duration_ms').notNull(),
    userId: text('user_id'),
    username: text('username'),
    requestId: text('request_id').notNull(),
    ipHash: text('ip_hash'),
    userAgent: text('user_agent'),
    country: text('country'),
  },
  (t) => [
    index('request_logs_created_id_idx').on(t.createdAt, t.id),
    index('request_logs_status_created_idx').on(t.status, t.createdAt),
    index('request_logs_user_created_idx').on(t.userId, t.createdAt),
  ],
);

export const dailyStats = sqliteTable('daily_stats', {
  day: text('day').primaryKey(), // YYYY-MM-DD (UTC)
  requests: integer('requests').notNull().default(0),
  status2xx: integer('status_2xx').notNull().default(0),
  status3xx: integer('status_3xx').notNull().default(0),
  status4xx: integer('status_4xx').notNull().default(0),
  status5xx: integer('status_5xx').notNull().default(0),
  p50DurationMs: real('p50_duration_ms'),
  p95DurationMs: real('p95_duration_ms'),
  signups: integer('signups').notNull().default(0),
  posts: integer('posts').notNull().default(0),
  likes: integer('likes').notNull().default(0),
  updatedAt: timestamp('updated_at').notNull(),
});

export const failedJobs = sqliteTable(
  'failed_jobs',
  {
    id: text('id').primaryKey(),
    queue: text('queue').notNull(),
    messageId: text('message_id'),
    type: text('type').notNull(),
    body: text('body').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    failedAt: timestamp('failed_at').notNull(),
    retriedAt: timestamp('retried_at'),
    /** false: the input can never succeed, or a secret was removed from the stored body. */
    retryable: bool('retryable').notNull().default(true),
  },
  (t) => [
    index('failed_jobs_failed_id_idx').on(t.failedAt, t.id),
    // The dead-letter consumer may see a message twice: it is recorded once.
    uniqueIndex('failed_jobs_queue_message_unique').on(t.queue, t.messageId),
  ],
);

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: text('id').primaryKey(),
    job: text('job').notNull(),
    startedAt: timestamp('started_at').notNull(),
    finishedAt: timestamp('finished_at'),
    rowsTouched: integer('rows_touched').notNull().default(0),
    outcome: text('outcome', { enum: ['running', 'ok', 'error'] }).notNull(),
    detail: text('detail'),
  },
  (t) => [
    index('job_runs_job_started_idx').on(t.job, t.startedAt),
    index('job_runs_started_id_idx').on(t.startedAt, t.id),
  ],
);

export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: text('id').primaryKey(),
    to: text('to').notNull(),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('email_outbox_to_created_idx').on(t.to, t.createdAt)],
);
