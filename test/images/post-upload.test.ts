import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { thumbnailKeyFor, userImagePrefix } from '../../src/lib/uploads';
import { createUser } from '../support/direct-users';
import { call, del, get, post } from '../support/http';
import { GIF_3X2, imageForm, JPEG_3X2, makePng } from '../support/images';
import { deliver, JOBS_QUEUE } from '../support/queue';

const POSTS = '/api/v1/posts';

const postForm = (token: string, form: FormData, headers: Record<string, string> = {}) =>
  call(POSTS, { method: 'POST', token, body: form, headers });

const objectsOf = async (userId: string) =>
  (await env.BUCKET.list({ prefix: userImagePrefix(userId) })).objects.map((o) => o.key).sort();

const countRows = async (table: string, userColumn: string, userId: string) =>
  (
    await env.DB.prepare(`select count(*) as n from ${table} where ${userColumn} = ?`)
      .bind(userId)
      .first<{ n: number }>()
  )?.n;

const keyOf = (url: string) =>
  decodeURIComponent(new URL(url).pathname.slice('/api/v1/images/'.length));

describe('POST /posts with multipart/form-data', () => {
  it('creates the post with its image; the thumbnail appears once the job has run', async () => {
    const user = await createUser();
    const png = await makePng(640, 480);
    const res = await postForm(
      user.token,
      imageForm('image', png, 'p.png', 'image/png', { body: 'Sunset' }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('Location')).toBe(`http://localhost${POSTS}/${res.body.id}`);
    expect(res.body).toMatchObject({
      body: 'Sunset',
      author: { username: user.username },
      image: { thumbnail_url: null, width: 640, height: 480, content_type: 'image/png' },
    });
    const key = keyOf(res.body.image.url);
    expect(key.startsWith(userImagePrefix(user.id))).toBe(true);
    expect(await objectsOf(user.id)).toEqual([key]);
    const profile = await get(`/api/v1/profiles/${user.username}`);
    expect(profile.body.post_count).toBe(1);

    await deliver(JOBS_QUEUE, [{ body: { type: 'image.process', image_key: key } }]);
    const after = await get(`${POSTS}/${res.body.id}`);
    expect(after.body.image.thumbnail_url).toBe(`${res.body.image.url}?variant=thumbnail`);
    const thumb = await get(
      new URL(after.body.image.thumbnail_url).pathname +
        new URL(after.body.image.thumbnail_url).search,
    );
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('Content-Type')).toBe('image/webp');
  });

  it('creates a post without an image from a form with only a body', async () => {
    const user = await createUser();
    const form = new FormData();
    form.append('body', 'Just words');
    const res = await postForm(user.token, form);
    expect(res.status).toBe(201);
    expect(res.body.image).toBeNull();
  });

  it('still takes JSON', async () => {
    const user = await createUser();
    const res = await post(POSTS, { body: 'JSON post' }, { token: user.token });
    expect(res.status).toBe(201);
    expect(res.body.image).toBeNull();
  });

  it('refuses a bad body or unknown fields with 422 and stores nothing', async () => {
    const user = await createUser();
    const empty = await postForm(
      user.token,
      imageForm('image', JPEG_3X2, 'a.jpg', 'image/jpeg', { body: '' }),
    );
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].path).toBe('/body/body');
    const extra = await postForm(
      user.token,
      imageForm('image', JPEG_3X2, 'a.jpg', 'image/jpeg', { body: 'ok', like_count: '99' }),
    );
    expect(extra.status).toBe(422);
    expect(extra.body.errors).toEqual([{ path: '/body/like_count', message: expect.any(String) }]);
    const missing = await postForm(user.token, imageForm('image', JPEG_3X2));
    expect(missing.status).toBe(422);
    expect(await objectsOf(user.id)).toEqual([]);
    expect(await countRows('posts', 'user_id', user.id)).toBe(0);
  });

  it('refuses an SVG image with 415: no post, no object, no row', async () => {
    const user = await createUser();
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const res = await postForm(
      user.token,
      imageForm('image', svg, 'x.png', 'image/png', { body: 'hi' }),
    );
    expect(res.status).toBe(415);
    expect(await objectsOf(user.id)).toEqual([]);
    expect(await countRows('posts', 'user_id', user.id)).toBe(0);
    expect(await countRows('images', 'owner_id', user.id)).toBe(0);
  });

  it('refuses more than 10 MiB with 413', async () => {
    const user = await createUser();
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(JPEG_3X2);
    const res = await postForm(
      user.token,
      imageForm('image', big, 'big.jpg', 'image/jpeg', { body: 'big' }),
    );
    expect(res.status).toBe(413);
    expect(await objectsOf(user.id)).toEqual([]);
  });

  it('honours Idempotency-Key: a repeat replays and stores nothing new; another image is 422', async () => {
    const user = await createUser();
    const key = crypto.randomUUID();
    const send = (bytes: Uint8Array) =>
      postForm(user.token, imageForm('image', bytes, 'a.gif', 'image/gif', { body: 'once' }), {
        'Idempotency-Key': key,
      });
    const first = await send(GIF_3X2);
    const again = await send(GIF_3X2);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await objectsOf(user.id)).toHaveLength(1);
    expect(await countRows('images', 'owner_id', user.id)).toBe(1);
    const different = await send(JPEG_3X2);
    expect(different.status).toBe(422);
  });

  it('deleting the post deletes its image objects and row', async () => {
    const user = await createUser();
    const res = await postForm(
      user.token,
      imageForm('image', await makePng(50, 50), 'a.png', 'image/png', { body: 'bye' }),
    );
    const key = keyOf(res.body.image.url);
    await deliver(JOBS_QUEUE, [{ body: { type: 'image.process', image_key: key } }]);
    expect(await objectsOf(user.id)).toEqual([key, thumbnailKeyFor(key)].sort());
    expect((await del(`${POSTS}/${res.body.id}`, { token: user.token })).status).toBe(204);
    expect(await objectsOf(user.id)).toEqual([]);
    expect(await countRows('images', 'owner_id', user.id)).toBe(0);
  });
});
