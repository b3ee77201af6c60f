import { env } from 'cloudflare:workers';
import { readConfig } from '../../src/env';
import { newId } from '../../src/lib/ids';
import { signAccessToken } from '../../src/lib/tokens';

/**
 * Users made straight in the database with a signed access token: for tests that need
 * many accounts quickly and do not exercise registration or login (those use ./auth).
 */
export interface DirectUser {
  id: string;
  username: string;
  email: string;
  token: string;
}

let counter = 0;

export async function createUser(
  options: { admin?: boolean; createdAt?: number; username?: string } = {},
): Promise<DirectUser> {
  const id = newId();
  const username =
    options.username ?? `d_${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const email = `${username.toLowerCase()}@example.com`;
  const at = options.createdAt ?? Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `insert into users (id, email, username, password_hash, is_admin, created_at, updated_at)
       values (?, ?, ?, 'not-a-hash', ?, ?, ?)`,
    ).bind(id, email, username, options.admin ? 1 : 0, at, at),
    env.DB.prepare('insert into profiles (user_id, updated_at) values (?, ?)').bind(id, at),
  ]);
  const { token } = await signAccessToken(readConfig(env), { id, tokenGeneration: 0 });
  return { id, username, email, token };
}
