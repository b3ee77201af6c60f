import { describe, expect, it } from 'vitest';
import { registerUser, uniqueIp, uniqueName } from '../support/auth';
import { post } from '../support/http';
import { AUTH_LIMIT, exceedRateLimit, expectProblem } from './helpers';

// Rate limits that hold: an IPv6 client cannot escape by rotating the low 64 bits it
// controls, email and username share one account budget, and only CF-Connecting-IP counts.

const randomGroup = () => Math.floor(Math.random() * 0xffff).toString(16);
const login = (body: Record<string, unknown>, ip = uniqueIp()) =>
  post('/api/v1/auth/login', body, { headers: { 'CF-Connecting-IP': ip } });
const requestReset = (headers: Record<string, string>) =>
  post('/api/v1/auth/password-reset', { email: `${uniqueName()}@example.com` }, { headers });

/**
 * The local limiter counts in 60 s windows aligned to the wall clock; a check that needs a
 * whole budget inside one window starts early in a window.
 */
async function startOfWindow() {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 40_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 500));
}

describe('auth rate limits', () => {
  it('bucket IPv6 clients by /64: rotating the interface id does not reset the count', async () => {
    const prefix = `2001:db8:${randomGroup()}:${randomGroup()}`;
    const limited = await exceedRateLimit(
      () =>
        requestReset({
          'CF-Connecting-IP': `${prefix}:${randomGroup()}:${randomGroup()}:${randomGroup()}:${randomGroup()}`,
        }),
      202,
    );
    expectProblem(limited, 429, 'rate_limited');
  });

  it('count login attempts by email and by username against one account budget', async () => {
    const { email, username } = await registerUser();
    await startOfWindow();
    for (let i = 0; i < AUTH_LIMIT; i++) {
      expectProblem(await login({ email, password: 'wrong password 1' }), 401);
    }
    expectProblem(await login({ username, password: 'wrong password 1' }), 429, 'rate_limited');
  });

  it('take the client address from CF-Connecting-IP only', async () => {
    const ip = uniqueIp();
    const limited = await exceedRateLimit(
      () =>
        requestReset({
          'CF-Connecting-IP': ip,
          'X-Forwarded-For': uniqueIp(),
          'X-Real-IP': uniqueIp(),
          'True-Client-IP': uniqueIp(),
        }),
      202,
    );
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
  });
});
