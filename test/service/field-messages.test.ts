import { describe, expect, it } from 'vitest';
import { gql } from '../graphql/support';
import { createUser } from '../support/direct-users';
import { call, get, patch, post } from '../support/http';

/** Field messages in the contract's words, never raw validator text (issue 11 item 7). */

const RAW_VALIDATOR_TEXT = /Invalid input|expected \w+, received|Too (big|small)|Invalid string/;

describe('field messages', () => {
  it('POST /posts {} says "body is required"', async () => {
    const user = await createUser();
    const res = await post('/api/v1/posts', {}, { token: user.token });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/body/body', message: 'body is required' }]);
  });

  it('POST /statuses with content too long says "content must be 1 to 240 characters"', async () => {
    const user = await createUser();
    const res = await post('/api/v1/statuses', { content: 'x'.repeat(241) }, { token: user.token });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/body/content', message: 'content must be 1 to 240 characters' },
    ]);
    const empty = await post('/api/v1/statuses', { content: '' }, { token: user.token });
    expect(empty.body.errors).toEqual([
      { path: '/body/content', message: 'content must be 1 to 240 characters' },
    ]);
  });

  it('a wrong type names the field and the type', async () => {
    const user = await createUser();
    const res = await post('/api/v1/statuses', { content: 5 }, { token: user.token });
    expect(res.body.errors).toEqual([
      { path: '/body/content', message: 'content must be a string' },
    ]);
    const bio = await patch('/api/v1/profiles/me', { bio: 'x'.repeat(241) }, { token: user.token });
    expect(bio.body.errors).toEqual([
      { path: '/body/bio', message: 'bio must be at most 240 characters' },
    ]);
    const admin = await createUser({ admin: true });
    const flag = await patch(
      `/api/v1/admin/users/${user.id}`,
      { is_active: 'no' },
      { token: admin.token },
    );
    expect(flag.body.errors).toEqual([
      { path: '/body/is_active', message: 'is_active must be true or false' },
    ]);
  });

  it('a body that is not a JSON object says so', async () => {
    const user = await createUser();
    const res = await post('/api/v1/statuses', ['hello'], { token: user.token });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/body', message: 'The body must be a JSON object.' },
    ]);
  });

  it('no message anywhere is raw validator text', async () => {
    const user = await createUser();
    const admin = await createUser({ admin: true });
    const responses = await Promise.all([
      post('/api/v1/posts', { body: null }, { token: user.token }),
      post('/api/v1/statuses', {}, { token: user.token }),
      patch('/api/v1/profiles/me', { bio: 1, city: [] }, { token: user.token }),
      post('/api/v1/auth/login', {}),
      post('/api/v1/auth/register', { email: 1, username: {}, password: false }),
      post('/api/v1/auth/password-reset', {}),
      post('/api/v1/auth/verify-email', { token: '' }),
      patch('/api/v1/users/me', { username: 7 }, { token: user.token }),
      patch(`/api/v1/admin/users/${user.id}`, { is_admin: 'yes' }, { token: admin.token }),
      get('/api/v1/images/x?variant=big'),
      get('/api/v1/admin/request-logs?since=yesterday&method=FETCH&status=6xx', {
        token: admin.token,
      }),
      get('/api/v1/posts?cursor=&author='),
      call(`/api/v1/posts/${'x'.repeat(65)}`),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(422);
      for (const error of res.body.errors) {
        expect(error.message, `${res.body.instance} ${error.path}`).not.toMatch(RAW_VALIDATOR_TEXT);
      }
    }
  });
});

describe('GraphQL arguments are checked with the same words', () => {
  it('names the argument, as REST names the field', async () => {
    const user = await createUser();
    const cases: [string, string][] = [
      ['mutation { createStatus(content: "") { id } }', 'content must be 1 to 240 characters'],
      [
        `mutation { createPost(body: "${'x'.repeat(5001)}") { id } }`,
        'body must be 1 to 5000 characters',
      ],
      [
        `{ statuses(username: "${'x'.repeat(65)}") { nodes { id } } }`,
        'username must be at most 64 characters',
      ],
      ['{ posts(first: 0) { nodes { id } } }', 'first must be a whole number from 1 to 100'],
    ];
    for (const [query, message] of cases) {
      const res = await gql(query, { token: user.token });
      expect(res.body.errors?.[0]?.message, query).toBe(message);
    }
  });
});
