import { describe, expect, it } from 'vitest';
import { createUser } from '../support/direct-users';
import { call } from '../support/http';
import { documentedOperations } from '../support/operations';

// Every admin operation the OpenAPI document lists: a route added later is covered here
// without being named.
const ADMIN_OPERATIONS = (await documentedOperations()).filter((op) =>
  op.path.startsWith('/api/v1/admin/'),
);

describe('admin routes refuse everyone but administrators', () => {
  it('the document lists the admin surface', () => {
    expect(ADMIN_OPERATIONS.map((op) => op.operationId)).toEqual(
      expect.arrayContaining(['adminListUsers', 'adminUpdateUser', 'adminRetryFailedJob']),
    );
  });

  it.each(ADMIN_OPERATIONS)('$method $path: 401 anonymous', async ({ method, url, json }) => {
    const { status, headers, body } = await call(url, { method, json });
    expect(status).toBe(401);
    expect(headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(body.code).toBe('unauthenticated');
  });

  it.each(ADMIN_OPERATIONS)(
    '$method $path: 403 for a signed-in non-admin',
    async ({ method, url, json }) => {
      const user = await createUser();
      const { status, body } = await call(url, { method, json, token: user.token });
      expect(status).toBe(403);
      expect(body.code).toBe('admin_only');
    },
  );

  it.each(ADMIN_OPERATIONS)(
    '$method $path: an admin gets past the check',
    async ({ method, url, json }) => {
      const admin = await createUser({ admin: true });
      const { status } = await call(url, { method, json, token: admin.token });
      // Lists answer 200; routes with the example id answer 404 for it.
      expect([200, 404]).toContain(status);
    },
  );

  it('the guard covers the whole /admin prefix, routes not (yet) declared included', async () => {
    const url = '/api/v1/admin/no-such-route';
    const user = await createUser();
    const admin = await createUser({ admin: true });
    expect((await call(url)).status).toBe(401);
    expect((await call(url, { token: user.token })).body.code).toBe('admin_only');
    expect((await call(url, { token: admin.token })).status).toBe(404);
  });

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
