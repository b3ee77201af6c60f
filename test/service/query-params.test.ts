import { describe, expect, it } from 'vitest';
import { createUser } from '../support/direct-users';
import { call, get, post } from '../support/http';
import { restOperations } from '../support/operations';

/** Query parameters (issue 10 item 12, issue 11 item 8). */

describe('integer query parameters take decimal digits only', () => {
  it.each(['1e2', '0x10', ' 5', '5 ', '+5', '-5', '5.0', '', '1_0', '0b11', 'Infinity'])(
    'limit=%j is 422 at /query/limit',
    async (value) => {
      const res = await get(`/api/v1/posts?limit=${encodeURIComponent(value)}`);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { path: '/query/limit', message: 'limit must be a whole number from 1 to 100' },
      ]);
    },
  );

  it.each(['5', '005', '100'])('limit=%s is read as a number', async (value) => {
    const res = await get(`/api/v1/statuses?limit=${value}`);
    expect(res.status).toBe(200);
  });

  it('days on the admin stats takes digits only too', async () => {
    const admin = await createUser({ admin: true });
    for (const days of ['1e1', '0x5', '+3']) {
      const res = await get(`/api/v1/admin/stats?days=${encodeURIComponent(days)}`, {
        token: admin.token,
      });
      expect(res.status, days).toBe(422);
      expect(res.body.errors[0].path).toBe('/query/days');
    }
    expect((await get('/api/v1/admin/stats?days=3', { token: admin.token })).status).toBe(200);
  });
});

describe('unknown query parameters are refused with 422, naming each', () => {
  it('GET /posts?foo&bar names both', async () => {
    const res = await get('/api/v1/posts?limit=5&foo=1&bar=2');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/query/bar',
      '/query/foo',
    ]);
  });

  it('a parameter sent twice is named once, in words', async () => {
    const res = await get('/api/v1/posts?author=a&author=b');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/query/author', message: 'author must be given once' },
    ]);
  });

  it('the message says which parameters the operation takes', async () => {
    const res = await get('/api/v1/posts?autor=alice');
    expect(res.body.errors).toEqual([
      {
        path: '/query/autor',
        message: 'Unknown query parameter: this operation takes limit, cursor, author, liked_by.',
      },
    ]);
  });

  it('every operation in the document refuses one', async () => {
    const admin = await createUser({ admin: true });
    const wrong: string[] = [];
    for (const { method, path, url } of await restOperations()) {
      const res = await call(`${url}?unknown_param_zz=1`, { method, token: admin.token });
      const paths = (res.body?.errors ?? []).map((e: { path: string }) => e.path);
      if (res.status !== 422 || !paths.includes('/query/unknown_param_zz')) {
        wrong.push(`${method} ${path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('statuses filter by `author`, like posts', () => {
  it('?author= keeps one author; ?username= is a deprecated alias for it', async () => {
    const alice = await createUser();
    const bob = await createUser();
    await post('/api/v1/statuses', { content: 'from alice' }, { token: alice.token });
    await post('/api/v1/statuses', { content: 'from bob' }, { token: bob.token });
    for (const query of [`author=${alice.username}`, `username=${alice.username}`]) {
      const res = await get(`/api/v1/statuses?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((s: { content: string }) => s.content)).toEqual(['from alice']);
    }
    const upper = await get(`/api/v1/statuses?author=${alice.username.toUpperCase()}`);
    expect(upper.body.items).toHaveLength(1);
  });

  it('sending both author and username is 422 unless they agree', async () => {
    const res = await get('/api/v1/statuses?author=alice&username=bob');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('/query/username');
    expect((await get('/api/v1/statuses?author=alice&username=ALICE')).status).toBe(200);
  });

  it('the document marks username as deprecated and offers author', async () => {
    const { body: doc } = await get('/openapi.json');
    const parameters: { name: string; deprecated?: boolean }[] =
      doc.paths['/api/v1/statuses'].get.parameters;
    expect(parameters.find((p) => p.name === 'author')?.deprecated).toBeFalsy();
    expect(parameters.find((p) => p.name === 'username')?.deprecated).toBe(true);
  });
});
