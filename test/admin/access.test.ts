import { describe, expect, it } from 'vitest';
import { createUser } from '../support/direct-users';
import { call } from '../support/http';

const ID = '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11';

// Every admin route, with a request that is valid apart from who sends it.
const ADMIN_ROUTES: { method: string; path: string; json?: unknown }[] = [
  { method: 'GET', path: '/api/v1/admin/users' },
  { method: 'PATCH', path: `/api/v1/admin/users/${ID}`, json: { is_active: false } },
  { method: 'GET', path: '/api/v1/admin/request-logs' },
  { method: 'GET', path: '/api/v1/admin/stats' },
  { method: 'GET', path: '/api/v1/admin/jobs/failed' },
  { method: 'POST', path: `/api/v1/admin/jobs/failed/${ID}/retry` },
  { method: 'GET', path: '/api/v1/admin/jobs/runs' },
];

describe('admin routes refuse everyone but administrators', () => {
  it.each(ADMIN_ROUTES)('$method $path: 401 anonymous', async ({ method, path, json }) => {
    const { status, headers, body } = await call(path, { method, json });
    expect(status).toBe(401);
    expect(headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(body.code).toBe('unauthenticated');
  });

  it.each(ADMIN_ROUTES)(
    '$method $path: 403 for a signed-in non-admin',
    async ({ method, path, json }) => {
      const user = await createUser();
      const { status, body } = await call(path, { method, json, token: user.token });
      expect(status).toBe(403);
      expect(body.code).toBe('admin_only');
    },
  );

  it.each(ADMIN_ROUTES)(
    '$method $path: an admin gets past the check',
    async ({ method, path, json }) => {
      const admin = await createUser({ admin: true });
      const { status } = await call(path, { method, json, token: admin.token });
      // The two routes with an id answer 404 for this unknown id; the lists answer 200.
      expect([200, 404]).toContain(status);
    },
  );

  it('a token that was admin loses access as soon as is_admin is cleared', async () => {
    const admin = await createUser({ admin: true });
    const other = await createUser({ admin: true });
    expect((await call('/api/v1/admin/users', { token: admin.token })).status).toBe(200);
    const demote = await call(`/api/v1/admin/users/${admin.id}`, {
      method: 'PATCH',
      json: { is_admin: false },
      token: other.token,
    });
    expect(demote.status).toBe(200);
    expect((await call('/api/v1/admin/users', { token: admin.token })).status).toBe(403);
  });
});
