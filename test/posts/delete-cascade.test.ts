import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { del, get, put } from '../support/http';
import { createUser, type DirectUser, dbValue, postCountOf, writePost } from './fixtures';

let author: DirectUser;
let likers: DirectUser[];

beforeAll(async () => {
  author = await createUser();
  likers = await Promise.all(Array.from({ length: 3 }, () => createUser()));
});

describe('deleting a post', () => {
  it('removes its likes, its image row and objects, and decrements post_count, all together', async () => {
    const { id } = await writePost(author);
    const key = `u/${author.id}/${crypto.randomUUID()}.png`;
    const thumb = `${key}.thumb.webp`;
    await env.BUCKET.put(key, new Uint8Array([1, 2, 3]));
    await env.BUCKET.put(thumb, new Uint8Array([4, 5]));
    await env.DB.batch([
      env.DB.prepare(
        `insert into images (key, owner_id, purpose, content_type, size, width, height, thumbnail_key) values (?, ?, 'post', 'image/png', 3, 1, 1, ?)`,
      ).bind(key, author.id, thumb),
      env.DB.prepare('update posts set image_key = ? where id = ?').bind(key, id),
    ]);
    for (const u of likers) await put(`/api/v1/posts/${id}/like`, undefined, { token: u.token });
    const other = await writePost(author);
    await put(`/api/v1/posts/${other.id}/like`, undefined, { token: likers[0]?.token });
    const before = await postCountOf(author.id);

    expect((await del(`/api/v1/posts/${id}`, { token: author.token })).status).toBe(204);

    expect(await dbValue('select count(*) from likes where post_id = ?', id)).toBe(0);
    expect(await dbValue('select count(*) from images where key = ?', key)).toBe(0);
    expect(await postCountOf(author.id)).toBe((before ?? 0) - 1);
    expect(await env.BUCKET.head(key)).toBeNull();
    expect(await env.BUCKET.head(thumb)).toBeNull();
    // Nothing else moved.
    expect((await get(`/api/v1/posts/${other.id}`)).body.like_count).toBe(1);
    expect(await dbValue('select count(*) from likes where post_id = ?', other.id)).toBe(1);
  });

  it('decrements post_count once when two deletes race', async () => {
    const { id } = await writePost(author);
    const before = await postCountOf(author.id);
    const results = await Promise.all([
      del(`/api/v1/posts/${id}`, { token: author.token }),
      del(`/api/v1/posts/${id}`, { token: author.token }),
      del(`/api/v1/posts/${id}`, { token: author.token }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.every((s) => s === 204 || s === 404)).toBe(true);
    expect(await postCountOf(author.id)).toBe((before ?? 0) - 1);
  });

  it('keeps post_count equal to the number of posts through creates and deletes', async () => {
    const fresh = await createUser();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await writePost(fresh)).id);
    await del(`/api/v1/posts/${ids[1]}`, { token: fresh.token });
    await del(`/api/v1/posts/${ids[2]}`, { token: fresh.token });
    const profile = await get(`/api/v1/profiles/${fresh.username}`);
    expect(profile.body.post_count).toBe(2);
    expect(await dbValue('select count(*) from posts where user_id = ?', fresh.id)).toBe(2);
  });
});
