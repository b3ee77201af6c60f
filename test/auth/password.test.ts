import { describe, expect, it } from 'vitest';
import { registerUser } from '../support/auth';
import { post } from '../support/http';
import {
  cookieFor,
  exceedRateLimit,
  expectProblem,
  loginSession,
  loginStatus,
  refreshWith,
} from './helpers';

const NEW_PASSWORD = 'a brand new passphrase';

const changePassword = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  post('/api/v1/auth/password', body, { token, headers });

describe('POST /auth/password', () => {
  it('changes the password and revokes every other session, keeping the caller’s', async () => {
    const account = await registerUser();
    const mine = await loginSession(account.username);
    const other = await loginSession(account.username);
    const res = await changePassword(
      mine.accessToken,
      { current_password: account.password, new_password: NEW_PASSWORD },
      cookieFor(mine.refreshToken),
    );
    expect(res.status).toBe(204);
    expectProblem(await refreshWith(other.refreshToken), 401, 'invalid_refresh_token');
    expect((await refreshWith(mine.refreshToken)).status).toBe(200);
    expect(await loginStatus(account.username, account.password)).toBe(401);
    expect(await loginStatus(account.username, NEW_PASSWORD)).toBe(200);
  });

  it('revokes every session when the caller sends no refresh cookie', async () => {
    const account = await registerUser();
    const a = await loginSession(account.username);
    const b = await loginSession(account.username);
    const res = await changePassword(a.accessToken, {
      current_password: account.password,
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(204);
    expectProblem(await refreshWith(a.refreshToken), 401);
    expectProblem(await refreshWith(b.refreshToken), 401);
  });

  it('refuses a wrong current password with 403 and changes nothing', async () => {
    const account = await registerUser();
    const { accessToken, refreshToken } = await loginSession(account.username);
    const res = await changePassword(accessToken, {
      current_password: 'not my password',
      new_password: NEW_PASSWORD,
    });
    expectProblem(res, 403, 'wrong_password');
    expect((await refreshWith(refreshToken)).status).toBe(200);
    expect(await loginStatus(account.username, account.password)).toBe(200);
  });

  it.each([
    ['a common new password', () => ({ new_password: 'Sunshine' })],
    ['a short new password', () => ({ new_password: 'short' })],
    ['the same password again', (current: string) => ({ new_password: current })],
    ['an unknown field', () => ({ logout_everywhere: true })],
  ])('answers 422 for %s', async (_, change) => {
    const account = await registerUser();
    const { accessToken } = await loginSession(account.username);
    const body = {
      current_password: account.password,
      new_password: NEW_PASSWORD,
      ...change(account.password),
    };
    expectProblem(await changePassword(accessToken, body), 422, 'validation_failed');
  });

  it('needs a bearer token', async () => {
    const res = await post('/api/v1/auth/password', {
      current_password: 'whatever1',
      new_password: NEW_PASSWORD,
    });
    expectProblem(res, 401);
  });

  it('is rate limited per account', async () => {
    const account = await registerUser();
    const { accessToken } = await loginSession(account.username);
    const wrong = { current_password: 'not my password', new_password: NEW_PASSWORD };
    const limited = await exceedRateLimit(() => changePassword(accessToken, wrong), 403);
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
  });
});
