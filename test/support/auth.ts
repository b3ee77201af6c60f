import { env } from 'cloudflare:workers';
import { post } from './http';

/**
 * Account helpers for any feature's tests. Every call uses fresh names and a fresh client
 * address (CF-Connecting-IP), so the per-IP auth rate limits never trip across a test file.
 *
 *   registerUser(overrides?) -> { user, email, username, password }   (POST /auth/register)
 *   login(emailOrUsername, password?) -> access token                  (POST /auth/login)
 *   signUp(overrides?) -> { token, user, username, email, password }   (register + login)
 *   makeAdmin(userId), markEmailVerified(userId)                       (direct SQL)
 */

export const DEFAULT_PASSWORD = 'correct horse battery staple';

let counter = 0;
const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

/** A short name unique across calls and test files (letters, digits, underscore). */
export const uniqueName = (prefix = 'u') => `${prefix}_${(counter++).toString(36)}${randomHex(5)}`;

/** A documentation-range IPv6 address in a /64 of its own (rate limits count per /64). */
export const uniqueIp = () => `2001:db8:${randomHex(2)}:${randomHex(2)}::1`;

export interface RegisterOverrides {
  email?: string;
  username?: string;
  password?: string;
}

export interface RegisteredUser {
  user: any;
  email: string;
  username: string;
  password: string;
}

export async function registerUser(overrides: RegisterOverrides = {}): Promise<RegisteredUser> {
  const username = overrides.username ?? uniqueName();
  const email = overrides.email ?? `${username.toLowerCase()}@example.com`;
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const { status, body } = await post(
    '/api/v1/auth/register',
    { email, username, password },
    { headers: { 'CF-Connecting-IP': uniqueIp() } },
  );
  if (status !== 201) throw new Error(`register answered ${status}: ${JSON.stringify(body)}`);
  return { user: body.user, email, username, password };
}

/** Logs in by email (when it contains "@") or username; returns the access token. */
export async function login(emailOrUsername: string, password = DEFAULT_PASSWORD): Promise<string> {
  const field = emailOrUsername.includes('@') ? 'email' : 'username';
  const { status, body } = await post(
    '/api/v1/auth/login',
    { [field]: emailOrUsername, password },
    { headers: { 'CF-Connecting-IP': uniqueIp() } },
  );
  if (status !== 200) throw new Error(`login answered ${status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A new account, logged in: use `token` as the bearer token. */
export async function signUp(overrides: RegisterOverrides = {}) {
  const registered = await registerUser(overrides);
  const token = await login(registered.username, registered.password);
  return { token, ...registered };
}

export async function makeAdmin(userId: string): Promise<void> {
  await env.DB.prepare('update users set is_admin = 1 where id = ?').bind(userId).run();
}

export async function markEmailVerified(userId: string): Promise<void> {
  await env.DB.prepare('update users set email_verified = 1 where id = ?').bind(userId).run();
}
