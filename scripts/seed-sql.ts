/**
 * SQL text with literal values (no bound parameters, so D1's 100-parameter limit does not
 * apply): what the seed runs through D1 batches, `wrangler d1 execute` or libSQL alike.
 */
import type { SeedData } from './seed-data';

const ROWS_PER_INSERT = 500;
// D1 refuses statements over 100 KB; stay well below.
const MAX_STATEMENT_BYTES = 90_000;

/** An SQL literal: strings quoted with '' doubled, so no value can end the literal. */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('not a finite number');
    return String(value);
  }
  if (value.includes('\0')) throw new RangeError('NUL in a string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

type Row = readonly (string | number | boolean | null)[];

/** Multi-row INSERTs of up to ROWS_PER_INSERT rows, each statement under the size limit. */
export function insertStatements(table: string, columns: readonly string[], rows: Row[]): string[] {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const statements: string[] = [];
  let values: string[] = [];
  let bytes = head.length;
  const flush = () => {
    if (values.length > 0) statements.push(`${head}${values.join(', ')};`);
    values = [];
    bytes = head.length;
  };
  for (const row of rows) {
    const tuple = `(${row.map(sqlLiteral).join(', ')})`;
    if (values.length >= ROWS_PER_INSERT || bytes + tuple.length + 2 > MAX_STATEMENT_BYTES) flush();
    values.push(tuple);
    bytes += tuple.length + 2;
  }
  flush();
  return statements;
}

/** Every statement to load `data`, in foreign-key order, with literal values (no parameters). */
export function statementsFor(data: SeedData): string[] {
  return [
    ...insertStatements(
      'users',
      [
        'id',
        'email',
        'username',
        'password_hash',
        'email_verified',
        'is_admin',
        'is_active',
        'created_at',
        'updated_at',
      ],
      data.users.map((u) => [
        u.id,
        u.email,
        u.username,
        u.passwordHash,
        u.emailVerified,
        u.isAdmin,
        true,
        u.createdAt,
        u.createdAt,
      ]),
    ),
    ...insertStatements(
      'images',
      [
        'key',
        'owner_id',
        'purpose',
        'content_type',
        'size',
        'width',
        'height',
        'thumbnail_key',
        'created_at',
      ],
      data.images.map((i) => [
        i.key,
        i.ownerId,
        'post',
        i.contentType,
        i.size,
        i.width,
        i.height,
        null,
        i.createdAt,
      ]),
    ),
    ...insertStatements(
      'profiles',
      ['user_id', 'bio', 'city', 'avatar_key', 'post_count', 'updated_at'],
      data.profiles.map((p) => [p.userId, p.bio, p.city, null, p.postCount, p.updatedAt]),
    ),
    ...insertStatements(
      'posts',
      ['id', 'user_id', 'body', 'image_key', 'like_count', 'created_at', 'updated_at'],
      data.posts.map((p) => [
        p.id,
        p.userId,
        p.body,
        p.imageKey,
        p.likeCount,
        p.createdAt,
        p.createdAt,
      ]),
    ),
    ...insertStatements(
      'likes',
      ['post_id', 'user_id', 'created_at'],
      data.likes.map((l) => [l.postId, l.userId, l.createdAt]),
    ),
    ...insertStatements(
      'statuses',
      ['id', 'user_id', 'content', 'created_at', 'updated_at'],
      data.statuses.map((s) => [s.id, s.userId, s.content, s.createdAt, s.createdAt]),
    ),
  ];
}
