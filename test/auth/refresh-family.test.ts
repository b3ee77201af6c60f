import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type Bindings, readConfig } from '../../src/env';
import { registerUser } from '../support/auth';
import { get } from '../support/http';
import { expectProblem, loginSession, refreshTokenFrom, refreshWith } from './helpers';

const DAY_MS = 86_400_000;

async function newSession() {
  const account = await registerUser();
  return { ...account, ...(await loginSession(account.username, account.password)) };
}

const familyRows = async (userId: string) =>
  (
    await env.DB.prepare(
      'select id, parent_id, expires_at, family_expires_at, created_at from sessions where user_id = ? order by created_at, id',
    )
      .bind(userId)
      .all<{
        id: string;
        parent_id: string | null;
        expires_at: number;
        family_expires_at: number;
        created_at: number;
      }>()
  ).results;

describe('refresh families', () => {
  it('end REFRESH_FAMILY_MAX_DAYS after the login, however often they rotate', async () => {
    const { refreshToken, user } = await newSession();
    const [root] = await familyRows(user.id);
    expect(root?.family_expires_at).toBe((root?.created_at ?? 0) + 90 * DAY_MS);

    // Near the end of the family a rotation gets no more than what is left, cookie included.
    const left = 3_600_000;
    await env.DB.prepare('update sessions set family_expires_at = ? where user_id = ?')
      .bind(Date.now() + left, user.id)
      .run();
    const rotated = await refreshWith(refreshToken);
    expect(rotated.status).toBe(200);
    const maxAge = Number(/Max-Age=(\d+)/.exec(rotated.headers.get('Set-Cookie') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(left / 1000);
    const child = (await familyRows(user.id)).at(-1);
    expect(child?.expires_at).toBeLessThanOrEqual(Date.now() + left);

    // Past the end, the family is over even though the sliding expiry is still ahead.
    await env.DB.prepare(
      'update sessions set family_expires_at = ?, expires_at = ? where user_id = ?',
    )
      .bind(Date.now() - 1_000, Date.now() + DAY_MS, user.id)
      .run();
    expectProblem(await refreshWith(refreshTokenFrom(rotated) ?? ''), 401, 'invalid_refresh_token');
  });

  it('inside the reuse grace window, a replay gets an access token only: no new refresh token, no branch', async () => {
    const { refreshToken, user } = await newSession();
    const first = await refreshWith(refreshToken);
    const current = refreshTokenFrom(first) ?? '';
    const replay = await refreshWith(refreshToken);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('Set-Cookie')).toBeNull();
    expect((await get('/api/v1/users/me', { token: replay.body.access_token })).status).toBe(200);
    // One login, one rotation: the family did not branch.
    expect((await familyRows(user.id)).length).toBe(2);
    // The rotated token carries on; a second replay is reuse.
    const next = await refreshWith(current);
    expect(next.status).toBe(200);
    expectProblem(await refreshWith(refreshToken), 401, 'invalid_refresh_token');
    expectProblem(await refreshWith(refreshTokenFrom(next) ?? ''), 401, 'invalid_refresh_token');
  });
});

describe('REFRESH_FAMILY_MAX_DAYS', () => {
  const withDays = (value: string) => ({ ...env, REFRESH_FAMILY_MAX_DAYS: value }) as Bindings;

  it('defaults to 90 and takes a whole number of days', () => {
    expect(readConfig({ ...env } as Bindings).REFRESH_FAMILY_MAX_DAYS).toBe(90);
    expect(readConfig(withDays('30')).REFRESH_FAMILY_MAX_DAYS).toBe(30);
  });

  it('refuses a value that is not a positive whole number, naming the setting', () => {
    for (const bad of ['0', '-1', '1.5', 'ninety']) {
      expect(() => readConfig(withDays(bad)), bad).toThrow(/REFRESH_FAMILY_MAX_DAYS/);
    }
  });
});
