import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createUser, type DirectUser } from '../support/direct-users';
import { post } from '../support/http';

export type { DirectUser };
export { createUser };

/** A post written through the API by `author`. */
export async function writePost(author: DirectUser, body = `post ${crypto.randomUUID()}`) {
  const res = await post('/api/v1/posts', { body }, { token: author.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; body: string; like_count: number; created_at: string };
}

export async function dbValue<T = number>(sql: string, ...params: unknown[]): Promise<T | null> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<Record<string, T>>();
  return row ? (Object.values(row)[0] as T) : null;
}

export const postCountOf = (userId: string) =>
  dbValue<number>('select post_count from profiles where user_id = ?', userId);

export const likeCountOf = (postId: string) =>
  dbValue<number>('select like_count from posts where id = ?', postId);
