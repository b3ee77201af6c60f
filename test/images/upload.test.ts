import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/lib/image-sniff';
import { MAX_IMAGE_BYTES, thumbnailKeyFor, userImagePrefix } from '../../src/lib/uploads';
import { createUser } from '../support/direct-users';
import { call, del, get } from '../support/http';
import { ACCEPTED_IMAGES, GIF_3X2, imageForm, JPEG_3X2, makePng } from '../support/images';
import { deliver, eventually, JOBS_QUEUE } from '../support/queue';

const AVATAR = '/api/v1/profiles/me/avatar';
const MIB = 1024 * 1024;
const UUID_V7 = '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

const putAvatar = (token: string, body: BodyInit, headers: Record<string, string> = {}) =>
  call(AVATAR, { method: 'PUT', token, body, headers });

const keyOf = (avatarUrl: string) =>
  decodeURIComponent(new URL(avatarUrl).pathname.slice('/api/v1/images/'.length));

const objectsOf = async (userId: string) =>
  (await env.BUCKET.list({ prefix: userImagePrefix(userId) })).objects.map((o) => o.key).sort();

const imageRow = (key: string) =>
  env.DB.prepare('select * from images where key = ?').bind(key).first<Record<string, unknown>>();

describe('PUT /profiles/me/avatar', () => {
  it.each(ACCEPTED_IMAGES)(
    'accepts a %s and serves it back',
    async (_name, bytes, contentType, ext, width, height) => {
      const user = await createUser();
      const res = await putAvatar(user.token, imageForm('file', bytes));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ username: user.username, post_count: 0 });
      const key = keyOf(res.body.avatar_url);
      expect(key).toMatch(new RegExp(`^u/${user.id}/${UUID_V7}\\.${ext}$`));
      expect(await imageRow(key)).toMatchObject({
        owner_id: user.id,
        purpose: 'avatar',
        content_type: contentType,
        size: bytes.length,
        width,
        height,
      });
      const served = await get(new URL(res.body.avatar_url).pathname);
      expect(served.headers.get('Content-Type')).toBe(contentType);
      expect(new Uint8Array(served.body)).toEqual(bytes);
    },
  );

  it("accepts a PNG and decides the type from the bytes, not the client's name or header", async () => {
    const user = await createUser();
    const png = await makePng(30, 20);
    const res = await putAvatar(user.token, imageForm('file', png, 'cat.gif', 'image/gif'));
    const key = keyOf(res.body.avatar_url);
    expect(key.endsWith('.png')).toBe(true);
    expect(await imageRow(key)).toMatchObject({ content_type: 'image/png', width: 30, height: 20 });
  });

  it.each([
    [
      'SVG',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      'x.svg',
      'image/svg+xml',
    ],
    ['HTML', '<!doctype html><script>alert(1)</script>', 'x.png', 'image/png'],
    ['PDF', '%PDF-1.4\n%%EOF', 'x.jpg', 'image/jpeg'],
  ])('refuses %s with 415 and stores nothing', async (_name, text, filename, type) => {
    const user = await createUser();
    const res = await putAvatar(
      user.token,
      imageForm('file', new TextEncoder().encode(text), filename, type),
    );
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_image_type');
    expect(await objectsOf(user.id)).toEqual([]);
  });

  it('refuses a truncated image with 415', async () => {
    const user = await createUser();
    const png = await makePng(40, 40);
    const res = await putAvatar(user.token, imageForm('file', png.subarray(0, png.length - 20)));
    expect(res.status).toBe(415);
    expect(await objectsOf(user.id)).toEqual([]);
  });

  it('refuses 11 MiB with 413 while streaming, without reading all of it', async () => {
    const user = await createUser();
    const boundary = 'ublog-test-boundary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const total = 11 * MIB;
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent >= total) {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          controller.close();
          return;
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await putAvatar(user.token, body, {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('upload_too_large');
    // Reading stopped just past the limit and the rest of the body was cancelled.
    expect(sent).toBeLessThan(total);
    expect(cancelled).toBe(true);
    expect(await objectsOf(user.id)).toEqual([]);
  });

  it('refuses a declared Content-Length over the limit before reading, and a file just over 10 MiB', async () => {
    const user = await createUser();
    const declared = await putAvatar(user.token, imageForm('file', JPEG_3X2), {
      'Content-Length': String(11 * MIB),
    });
    expect(declared.status).toBe(413);
    const justOver = new Uint8Array(MAX_IMAGE_BYTES + 1);
    justOver.set(JPEG_3X2);
    const res = await putAvatar(user.token, imageForm('file', justOver));
    expect(res.status).toBe(413);
  });

  it('refuses JSON with 415 and a form without the file with 422', async () => {
    const user = await createUser();
    const json = await call(AVATAR, { method: 'PUT', token: user.token, json: { file: 'x' } });
    expect(json.status).toBe(415);
    const form = new FormData();
    form.append('avatar', new File([JPEG_3X2], 'a.jpg'));
    const missing = await putAvatar(user.token, form);
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ path: '/body/file', message: expect.any(String) }]);
  });

  it('requires a signed-in caller', async () => {
    const res = await call(AVATAR, { method: 'PUT', body: imageForm('file', JPEG_3X2) });
    expect(res.status).toBe(401);
    expect((await call(AVATAR, { method: 'DELETE' })).status).toBe(401);
  });

  it('replacing deletes the old object, its thumbnail and its row', async () => {
    const user = await createUser();
    const first = await putAvatar(user.token, imageForm('file', await makePng(400, 400)));
    const oldKey = keyOf(first.body.avatar_url);
    await deliver(JOBS_QUEUE, [{ body: { type: 'image.process', image_key: oldKey } }]);
    expect(await objectsOf(user.id)).toEqual([oldKey, thumbnailKeyFor(oldKey)].sort());

    const second = await putAvatar(user.token, imageForm('file', GIF_3X2));
    expect(second.status).toBe(200);
    const newKey = keyOf(second.body.avatar_url);
    expect(newKey).not.toBe(oldKey);
    expect(await objectsOf(user.id)).toEqual([newKey]);
    expect(await imageRow(oldKey)).toBeNull();
    expect((await get(new URL(first.body.avatar_url).pathname)).status).toBe(404);
  });

  it('a stale If-Match is 412 and stores nothing', async () => {
    const user = await createUser();
    const profile = await get(`/api/v1/profiles/${user.username}`);
    const etag = profile.headers.get('ETag') ?? '';
    await putAvatar(user.token, imageForm('file', GIF_3X2));
    const stale = await putAvatar(user.token, imageForm('file', JPEG_3X2), { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect(await objectsOf(user.id)).toHaveLength(1);
  });

  it('gets its thumbnail through the queue without any manual step', async () => {
    const user = await createUser();
    const res = await putAvatar(user.token, imageForm('file', await makePng(1000, 500)));
    const key = keyOf(res.body.avatar_url);
    // The upload queued image.process; the local queue delivers it to the consumer.
    await eventually(async () => ((await imageRow(key))?.thumbnail_key ? true : undefined));
    const thumb = await get(`${new URL(res.body.avatar_url).pathname}?variant=thumbnail`);
    expect(thumb.status).toBe(200);
    expect(sniffImage(new Uint8Array(thumb.body))).toMatchObject({ width: 320, height: 160 });
  });
});

describe('DELETE /profiles/me/avatar', () => {
  it('clears the avatar and deletes its objects and row; again is still 204', async () => {
    const user = await createUser();
    const put = await putAvatar(user.token, imageForm('file', await makePng(50, 50)));
    const key = keyOf(put.body.avatar_url);
    await deliver(JOBS_QUEUE, [{ body: { type: 'image.process', image_key: key } }]);
    expect(await objectsOf(user.id)).toHaveLength(2);

    expect((await del(AVATAR, { token: user.token })).status).toBe(204);
    expect(await objectsOf(user.id)).toEqual([]);
    expect(await imageRow(key)).toBeNull();
    const profile = await get(`/api/v1/profiles/${user.username}`);
    expect(profile.body.avatar_url).toBeNull();
    expect((await del(AVATAR, { token: user.token })).status).toBe(204);
  });
});
