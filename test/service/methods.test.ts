import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { makeAdmin, signUp } from '../support/auth';
import { call } from '../support/http';
import { restOperations } from '../support/operations';

/** A known path with a method it does not serve (issue 11 item 9). */

const ID = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

describe('405 Method Not Allowed', () => {
  it('POST /posts/{id} is 405 with the methods the path serves', async () => {
    const res = await call(`/api/v1/posts/${ID}`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Allow')).toBe('GET, HEAD, PATCH, DELETE');
    expect(res.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(res.body.detail).toContain('GET, HEAD, PATCH, DELETE');
  });

  it('every path of the document answers 405 with Allow for each method it lacks', async () => {
    const operations = await restOperations();
    // The admin guard answers before routing for anyone but an administrator, so the admin
    // paths are asked by one.
    const admin = await signUp();
    await makeAdmin(admin.user.id);
    const wrong: string[] = [];
    for (const url of new Set(operations.map((op) => op.url))) {
      // Every documented operation whose path template matches (`/profiles/{username}` also
      // matches `/profiles/me`).
      const served = operations
        .filter((op) => new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(url))
        .map((op) => op.method);
      const allow = METHODS.filter((m) => served.includes(m));
      const expected = allow.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
      for (const method of METHODS.filter((m) => !served.includes(m))) {
        const headers = url.startsWith('/api/v1/admin/')
          ? { Authorization: `Bearer ${admin.token}` }
          : undefined;
        const res = await exports.default.fetch(`http://localhost${url}`, { method, headers });
        if (res.status !== 405 || res.headers.get('Allow') !== expected) {
          wrong.push(`${method} ${url}: ${res.status} Allow=${res.headers.get('Allow')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a wrong method on an admin path is 401 for an anonymous caller, before routing', async () => {
    const res = await call('/api/v1/admin/stats', { method: 'DELETE' });
    expect(res.status).toBe(401);
  });

  it('an unknown path is still 404', async () => {
    const res = await call('/api/v1/nothing-here', { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });
});
