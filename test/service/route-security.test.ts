import { describe, expect, it } from 'vitest';
import { ACCESS_POLICY, type Action } from '../../src/lib/access';
import { createUser, type DirectUser } from '../support/direct-users';
import { call, get, post } from '../support/http';
import { documentedOperations, requiresBearer, servedDocument } from '../support/operations';

const OPERATIONS = await documentedOperations();
const BEARER_OPERATIONS = OPERATIONS.filter(requiresBearer);

describe('every operation the document secures with the bearer token', () => {
  it('there are such operations, and the walk includes writes and reads', () => {
    const methods = new Set(BEARER_OPERATIONS.map((op) => op.method));
    expect(methods).toEqual(new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
  });

  it.each(BEARER_OPERATIONS)(
    '$method $path: 401 without a token',
    async ({ method, url, json }) => {
      const { status, headers, body } = await call(url, { method, json });
      expect(status).toBe(401);
      expect(headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      expect(body.code).toBe('unauthenticated');
    },
  );
});

// Writes on another user's resource, one per object-level permission in src/lib/access.ts.
interface OwnerCheckedWrite {
  method: string;
  path: string;
  json?: unknown;
  /** Makes the resource as `owner`; returns the concrete URL and a way to read it back. */
  create(owner: DirectUser): Promise<{ url: string }>;
}

const newStatus = async (owner: DirectUser) => {
  const res = await post('/api/v1/statuses', { content: 'mine' }, { token: owner.token });
  expect(res.status).toBe(201);
  return { url: `/api/v1/statuses/${res.body.id}` };
};
const newPost = async (owner: DirectUser) => {
  const res = await post('/api/v1/posts', { body: 'mine' }, { token: owner.token });
  expect(res.status).toBe(201);
  return { url: `/api/v1/posts/${res.body.id}` };
};

const OWNER_CHECKED: Record<Action, OwnerCheckedWrite> = {
  'status.update': {
    method: 'PATCH',
    path: '/api/v1/statuses/{id}',
    json: { content: 'not yours' },
    create: newStatus,
  },
  'status.delete': { method: 'DELETE', path: '/api/v1/statuses/{id}', create: newStatus },
  'post.update': {
    method: 'PATCH',
    path: '/api/v1/posts/{id}',
    json: { body: 'not yours' },
    create: newPost,
  },
  'post.delete': { method: 'DELETE', path: '/api/v1/posts/{id}', create: newPost },
};

// Bearer writes on an `{id}` that are not about someone's resource, each with the reason.
const NOT_OWNER_CHECKED: Record<string, string> = {
  'PUT /api/v1/posts/{id}/like': "a like is the caller's own; anyone may like a post",
  'DELETE /api/v1/posts/{id}/like': "removes the caller's own like",
};

describe('owner-checked writes', () => {
  it('every bearer write on another resource id in the document is listed here', () => {
    const documented = BEARER_OPERATIONS.filter(
      (op) =>
        op.method !== 'GET' && op.path.includes('{id}') && !op.path.startsWith('/api/v1/admin/'),
    ).map((op) => `${op.method} ${op.path}`);
    const listed = [
      ...Object.values(OWNER_CHECKED).map((w) => `${w.method} ${w.path}`),
      ...Object.keys(NOT_OWNER_CHECKED),
    ];
    expect(documented.sort()).toEqual(listed.sort());
  });

  it.each(Object.entries(OWNER_CHECKED))(
    '%s: 403 not_owner for another user, and the resource is unchanged',
    async (action, write) => {
      const owner = await createUser();
      const stranger = await createUser();
      const { url } = await write.create(owner);
      const before = await get(url);
      const res = await call(url, {
        method: write.method,
        json: write.json,
        token: stranger.token,
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('not_owner');
      expect((await get(url)).body).toEqual(before.body);

      // An administrator gets through exactly where the policy says so.
      const admin = await createUser({ admin: true });
      const asAdmin = await call(url, {
        method: write.method,
        json: write.json,
        token: admin.token,
      });
      if (ACCESS_POLICY[action as Action] === 'owner') {
        expect(asAdmin.status).toBe(403);
      } else {
        expect(asAdmin.status).toBeLessThan(300);
      }
    },
  );
});

// The contract's table says a status is edited by its author only (not by administrators);
// the document's prose must say the same everywhere it speaks of permissions.
describe('the document describes the access table', () => {
  it.each(Object.entries(OWNER_CHECKED))('%s: the operation says who may', (action, write) => {
    const op = OPERATIONS.find((o) => o.method === write.method && o.path === write.path);
    expect(op?.description).toBeDefined();
    if (ACCESS_POLICY[action as Action] === 'owner') {
      expect(op?.description).toContain(
        'Only the author (403 for anyone else, administrators included)',
      );
    } else {
      expect(op?.description).toContain('Only the author or an administrator');
    }
  });

  it("the Admin tag states what administrators may do to other people's content", async () => {
    const doc = await servedDocument();
    const admin = (doc.tags as { name: string; description: string }[]).find(
      (t) => t.name === 'Admin',
    );
    expect(admin?.description).toContain(
      'edit or delete any post and delete any status through the normal routes; only its author may edit a status',
    );
  });
});
