import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { BOOKMARK_HEADER, FIRST_PRIMARY, FIRST_UNCONSTRAINED } from '../../src/lib/bookmark';
import { signUp } from '../support/auth';

// Auth decisions (is_active, is_admin, the token generation) must never come from a lagging
// read replica: a request with credentials starts its D1 session at the primary.

const LOCAL_BOOKMARK = '00000000-00000003-00000000-00000000000000000000000000000000';
const app = createApp();

/** Sends one request with a D1 binding that records where each session started. */
async function sessionStartsOf(path: string, headers: Record<string, string>) {
  const starts: string[] = [];
  const DB = new Proxy(env.DB, {
    get(target, key) {
      if (key === 'withSession') {
        return (start: string) => {
          starts.push(start);
          return target.withSession(start);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await app.request(`http://localhost${path}`, { headers }, { ...env, DB }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, starts };
}

describe('the D1 session of a read', () => {
  it('starts at the primary when the request carries a bearer token, whatever bookmark it sends', async () => {
    const { token } = await signUp();
    const plain = await sessionStartsOf('/api/v1/users/me', { Authorization: `Bearer ${token}` });
    expect(plain).toEqual({ status: 200, starts: [FIRST_PRIMARY] });
    const withBookmark = await sessionStartsOf('/api/v1/posts', {
      Authorization: `Bearer ${token}`,
      [BOOKMARK_HEADER]: LOCAL_BOOKMARK,
    });
    expect(withBookmark).toEqual({ status: 200, starts: [FIRST_PRIMARY] });
  });

  it('stays unconstrained (or at the bookmark) for an anonymous read', async () => {
    expect(await sessionStartsOf('/api/v1/posts', {})).toEqual({
      status: 200,
      starts: [FIRST_UNCONSTRAINED],
    });
    expect(await sessionStartsOf('/api/v1/posts', { [BOOKMARK_HEADER]: LOCAL_BOOKMARK })).toEqual({
      status: 200,
      starts: [LOCAL_BOOKMARK],
    });
  });
});
