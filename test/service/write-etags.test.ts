import { describe, expect, it } from 'vitest';
import { createUser, type DirectUser } from '../support/direct-users';
import { call, get, patch, post, put } from '../support/http';
import { imageForm, JPEG_3X2 } from '../support/images';

/**
 * Writes that answer with the resource also answer with its ETag, the same a GET of it returns,
 * so a client chains If-Match edits without reading the resource in between.
 */
interface Case {
  name: string;
  /** Makes the resource; returns its URL and the write to chain. */
  setUp(user: DirectUser): Promise<{ url: string; edit: (n: number) => unknown }>;
  editPath(url: string): string;
}

const cases: Case[] = [
  {
    name: 'PATCH /posts/{id}',
    async setUp(user) {
      const created = await post('/api/v1/posts', { body: 'zero' }, { token: user.token });
      return { url: `/api/v1/posts/${created.body.id}`, edit: (n) => ({ body: `edit ${n}` }) };
    },
    editPath: (url) => url,
  },
  {
    name: 'PATCH /statuses/{id}',
    async setUp(user) {
      const created = await post('/api/v1/statuses', { content: 'zero' }, { token: user.token });
      return {
        url: `/api/v1/statuses/${created.body.id}`,
        edit: (n) => ({ content: `edit ${n}` }),
      };
    },
    editPath: (url) => url,
  },
  {
    name: 'PATCH /profiles/me',
    async setUp(user) {
      return { url: `/api/v1/profiles/${user.username}`, edit: (n) => ({ bio: `edit ${n}` }) };
    },
    editPath: () => '/api/v1/profiles/me',
  },
  {
    name: 'PATCH /users/me',
    async setUp(user) {
      return {
        url: '/api/v1/users/me',
        edit: (n) => ({ username: `${user.username.slice(0, 20)}_${n}` }),
      };
    },
    editPath: () => '/api/v1/users/me',
  },
];

describe('writes answer with the ETag a GET returns', () => {
  it.each(cases)('$name: a second If-Match edit with the first one’s ETag succeeds', async (c) => {
    const user = await createUser();
    const { url, edit } = await c.setUp(user);
    const etag = (await get(url, { token: user.token })).headers.get('ETag') ?? '';
    const first = await patch(c.editPath(url), edit(1), {
      token: user.token,
      headers: { 'If-Match': etag },
    });
    expect(first.status).toBe(200);
    const returned = first.headers.get('ETag');
    expect(returned).toBeTruthy();
    expect(returned).toBe((await get(url, { token: user.token })).headers.get('ETag'));
    const second = await patch(c.editPath(url), edit(2), {
      token: user.token,
      headers: { 'If-Match': returned ?? '' },
    });
    expect(second.status).toBe(200);
  });

  it.each([
    ['POST /posts', '/api/v1/posts', { body: 'new' }],
    ['POST /statuses', '/api/v1/statuses', { content: 'new' }],
  ])('%s: the 201 carries the new resource’s ETag', async (_name, path, json) => {
    const user = await createUser();
    const created = await post(path, json, { token: user.token });
    expect(created.status).toBe(201);
    const read = await get(`${path}/${created.body.id}`, { token: user.token });
    expect(created.headers.get('ETag')).toBe(read.headers.get('ETag'));
  });

  it('PUT /profiles/me/avatar: the answer carries the profile’s new ETag', async () => {
    const user = await createUser();
    const res = await put('/api/v1/profiles/me/avatar', undefined, {
      token: user.token,
      body: imageForm('file', JPEG_3X2),
    });
    expect(res.status).toBe(200);
    const read = await call(`/api/v1/profiles/${user.username}`);
    expect(res.headers.get('ETag')).toBe(read.headers.get('ETag'));
  });
});
