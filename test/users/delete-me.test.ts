import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { expectProblem, loginSession, refreshWith } from '../auth/helpers';
import { signUp } from '../support/auth';
import { del, get } from '../support/http';

const ME = '/api/v1/users/me';
const now = () => Date.now();

async function insertPost(userId: string, likeCount = 0) {
  const id = newId();
  await env.DB.prepare(
    'insert into posts (id, user_id, body, like_count, updated_at) values (?, ?, ?, ?, ?)',
  )
    .bind(id, userId, 'hello', likeCount, now())
    .run();
  return id;
}

const like = (postId: string, userId: string) =>
  env.DB.prepare('insert into likes (post_id, user_id) values (?, ?)').bind(postId, userId).run();

const count = async (sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .first<{ n: number }>()
  )?.n;

describe('DELETE /users/me', () => {
  it('deletes the account and everything it owns, and fixes the like counts it touched', async () => {
    const doomed = await signUp();
    const other = await signUp();
    const session = await loginSession(doomed.username);
    const id = doomed.user.id;

    const othersPost = await insertPost(other.user.id, 1);
    await like(othersPost, id);
    const ownPost = await insertPost(id, 1);
    await like(ownPost, other.user.id);
    await env.DB.prepare(
      'insert into statuses (id, user_id, content, updated_at) values (?, ?, ?, ?)',
    )
      .bind(newId(), id, 'status', now())
      .run();
    await env.DB.prepare(
      "insert into images (key, owner_id, purpose, content_type, size, width, height) values (?, ?, 'post', 'image/png', 1, 1, 1)",
    )
      .bind(`u/${id}/x.png`, id)
      .run();

    const res = await del(ME, { token: doomed.token, json: { current_password: doomed.password } });
    expect(res.status).toBe(204);

    for (const [table, column] of [
      ['users', 'id'],
      ['profiles', 'user_id'],
      ['sessions', 'user_id'],
      ['one_time_tokens', 'user_id'],
      ['statuses', 'user_id'],
      ['posts', 'user_id'],
      ['likes', 'user_id'],
      ['images', 'owner_id'],
    ]) {
      expect(await count(`select count(*) as n from ${table} where ${column} = ?`, id), table).toBe(
        0,
      );
    }
    expect(await count('select count(*) as n from likes where post_id = ?', ownPost)).toBe(0);
    expect(await count('select like_count as n from posts where id = ?', othersPost)).toBe(0);
    // The other account is untouched.
    expect((await get(ME, { token: other.token })).status).toBe(200);

    // Nothing of the account works any more.
    expectProblem(await get(ME, { token: doomed.token }), 401, 'invalid_token');
    expectProblem(await refreshWith(session.refreshToken), 401);
    await expect(loginSession(doomed.username)).rejects.toThrow(/401/);
  });

  it('removes exactly its own like from a post that others like too', async () => {
    const doomed = await signUp();
    const other = await signUp();
    const post = await insertPost(other.user.id, 2);
    await like(post, doomed.user.id);
    await like(post, other.user.id);
    expect(
      (await del(ME, { token: doomed.token, json: { current_password: doomed.password } })).status,
    ).toBe(204);
    expect(await count('select like_count as n from posts where id = ?', post)).toBe(1);
  });

  it('honours If-Match: a stale ETag is 412 and deletes nothing', async () => {
    const { token, user, password } = await signUp();
    const stale = await del(ME, {
      token,
      json: { current_password: password },
      headers: { 'If-Match': '"0000000000000000000000000000000000000000"' },
    });
    expectProblem(stale, 412);
    expect(await count('select count(*) as n from users where id = ?', user.id)).toBe(1);
    const etag = (await get(ME, { token })).headers.get('ETag') ?? '';
    expect(
      (
        await del(ME, {
          token,
          json: { current_password: password },
          headers: { 'If-Match': etag },
        })
      ).status,
    ).toBe(204);
  });

  it('needs a bearer token', async () => {
    expectProblem(await del(ME), 401);
  });
});
