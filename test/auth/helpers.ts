import { env } from 'cloudflare:workers';
import { DEFAULT_PASSWORD, uniqueIp } from '../support/auth';
import { type CallResult, post } from '../support/http';

export const COOKIE_NAME = '__Secure-ublog_refresh';

/** The refresh token a response set, or undefined (an empty value means "cleared"). */
export function refreshTokenFrom(res: { headers: Headers }): string | undefined {
  const header = res.headers.get('Set-Cookie') ?? '';
  const match = new RegExp(`${COOKIE_NAME}=([^;]*)`).exec(header);
  return match ? match[1] : undefined;
}

export const cookieFor = (token: string) => ({ Cookie: `${COOKIE_NAME}=${token}` });

/** Logs in from a fresh address; returns the access token, the refresh token and the result. */
export async function loginSession(username: string, password = DEFAULT_PASSWORD) {
  const result = await post(
    '/api/v1/auth/login',
    { username, password },
    { headers: { 'CF-Connecting-IP': uniqueIp() } },
  );
  if (result.status !== 200) throw new Error(`login answered ${result.status}`);
  const refreshToken = refreshTokenFrom(result);
  if (!refreshToken) throw new Error('login set no refresh cookie');
  return { accessToken: result.body.access_token as string, refreshToken, result };
}

/** The status of a login by email (when it contains "@") or username, from a fresh address. */
export async function loginStatus(emailOrUsername: string, password: string): Promise<number> {
  const field = emailOrUsername.includes('@') ? 'email' : 'username';
  const { status } = await post(
    '/api/v1/auth/login',
    { [field]: emailOrUsername, password },
    { headers: { 'CF-Connecting-IP': uniqueIp() } },
  );
  return status;
}

export const refreshWith = (token: string, headers: Record<string, string> = {}) =>
  post('/api/v1/auth/refresh', undefined, { headers: { ...cookieFor(token), ...headers } });

export const logoutWith = (token: string, headers: Record<string, string> = {}) =>
  post('/api/v1/auth/logout', undefined, { headers: { ...cookieFor(token), ...headers } });

export const expectProblem = (r: CallResult, status: number, code?: string) => {
  if (r.status !== status || (code !== undefined && r.body?.code !== code)) {
    throw new Error(`expected ${status} ${code ?? ''}, got ${r.status} ${JSON.stringify(r.body)}`);
  }
};

const EMAILED_TOKEN = /\n\n([A-Za-z0-9_-]{43})\n\n/;

/**
 * Waits for the jobs queue consumer (run by the local runtime, in batches of up to 5 s) to put
 * the `count`-th email of `template` to `to` into the outbox, and returns the tokens it holds.
 */
export async function waitForEmails(
  to: string,
  template: 'welcome' | 'password_reset' | 'email_change_verify' | 'email_change_notice',
  count = 1,
  timeoutMs = 20_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { results } = await env.DB.prepare(
      'select text from email_outbox where "to" = ? and template = ? order by created_at, id',
    )
      .bind(to, template)
      .all<{ text: string }>();
    if (results.length >= count) return results.map((r) => EMAILED_TOKEN.exec(r.text)?.[1] ?? '');
    if (Date.now() > deadline)
      throw new Error(`no ${template} email to ${to} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** AUTH_LIMITER in wrangler.toml: 10 requests per 60 s per key. */
export const AUTH_LIMIT = 10;

/**
 * Repeats `attempt` (always with the same rate-limit key) until it is refused. The local
 * limiter counts in 60 s windows aligned to the wall clock, so a run that crosses a window
 * boundary starts counting again: the first `limit` attempts must all pass, and a 429 must come
 * within the next `limit + 1` (these loops take seconds, so they cross one boundary at most).
 */
export async function exceedRateLimit(
  attempt: () => Promise<CallResult>,
  expectedStatus: number,
  limit = AUTH_LIMIT,
): Promise<CallResult> {
  for (let i = 0; i < limit; i++) {
    const res = await attempt();
    if (res.status !== expectedStatus) {
      throw new Error(`attempt ${i + 1} answered ${res.status}, expected ${expectedStatus}`);
    }
  }
  for (let i = 0; i <= limit; i++) {
    const res = await attempt();
    if (res.status === 429) return res;
    if (res.status !== expectedStatus) throw new Error(`answered ${res.status} before any 429`);
  }
  throw new Error(`no 429 after ${2 * limit + 1} attempts`);
}
