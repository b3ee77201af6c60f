import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/jobs';
import { newImageKey, thumbnailKeyFor } from '../../src/lib/uploads';
import { createUser } from '../support/direct-users';
import { call } from '../support/http';
import { makePng } from '../support/images';
import { deliver, JOBS_QUEUE, retryAsAdmin } from '../support/queue';

/** An images row and its object, stored as they are (no sniffing: the bytes may be broken). */
async function storedImage(bytes: Uint8Array, size = { width: 50, height: 40 }) {
  const user = await createUser();
  const key = newImageKey(user.id, 'png');
  await env.BUCKET.put(key, bytes);
  await env.DB.prepare(
    `insert into images (key, owner_id, purpose, content_type, size, width, height, created_at)
     values (?, ?, 'post', 'image/png', ?, ?, ?, ?)`,
  )
    .bind(key, user.id, bytes.byteLength, size.width, size.height, Date.now())
    .run();
  return key;
}

/** A PNG whose signature and header are right but whose pixel data is garbage. */
async function corruptPng() {
  const bytes = await makePng(50, 40);
  // Keep the signature and IHDR (the first 33 bytes); overwrite the compressed pixels.
  for (let i = 41; i < bytes.length - 16; i++) bytes[i] = 0x55;
  return bytes;
}

const failedJob = (messageId: string) =>
  env.DB.prepare('select id, type, error, retryable from failed_jobs where message_id = ?')
    .bind(messageId)
    .first<{ id: string; type: string; error: string; retryable: number }>();

const imageState = (key: string) =>
  env.DB.prepare('select thumbnail_key, thumbnail_failed_at from images where key = ?')
    .bind(key)
    .first<{ thumbnail_key: string | null; thumbnail_failed_at: number | null }>();

describe('an image.process job that cannot succeed', () => {
  it('a valid signature over a corrupt body is recorded as failed at once, not retried', async () => {
    const key = await storedImage(await corruptPng());
    const result = await deliver(JOBS_QUEUE, [
      { id: 'corrupt-1', body: { type: 'image.process', image_key: key } },
    ]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(['corrupt-1']);
    const row = await failedJob('corrupt-1');
    expect(row).toMatchObject({ type: 'image.process', retryable: 0 });
    expect(row?.error).toMatch(/^Permanent failure/);
    expect(row?.error).not.toMatch(/\n\s+at /); // no stack trace
    expect(await imageState(key)).toMatchObject({ thumbnail_key: null });
    expect((await imageState(key))?.thumbnail_failed_at).toEqual(expect.any(Number));
    expect(await env.BUCKET.head(thumbnailKeyFor(key))).toBeNull();
  });

  it('an image over the decoder limits fails at once without calling the Images binding', async () => {
    const key = await storedImage(await makePng(20, 20), { width: 16_000, height: 9_000 });
    let calls = 0;
    const images = new Proxy(env.IMAGES, {
      get(target, prop, receiver) {
        calls++;
        return Reflect.get(target, prop, receiver);
      },
    });
    const result = await deliver(
      JOBS_QUEUE,
      [{ id: 'huge-1', body: { type: 'image.process', image_key: key } }],
      { ...env, IMAGES: images },
    );
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(['huge-1']);
    expect(calls).toBe(0);
    expect((await failedJob('huge-1'))?.error).toMatch(/decoder limits/);
    expect((await imageState(key))?.thumbnail_failed_at).toEqual(expect.any(Number));
  });

  it('the image then answers ?variant=thumbnail with 404 thumbnail_unavailable, for good', async () => {
    const key = await storedImage(await corruptPng());
    const thumbnail = `/api/v1/images/${encodeURIComponent(key)}?variant=thumbnail`;
    expect((await call(thumbnail)).body.code).toBe('thumbnail_not_ready');
    await deliver(JOBS_QUEUE, [{ body: { type: 'image.process', image_key: key } }]);
    const res = await call(thumbnail);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('thumbnail_unavailable');
    // The original is still served.
    expect((await call(`/api/v1/images/${encodeURIComponent(key)}`)).status).toBe(200);
  });

  it('an admin retry of it is refused instead of failing again', async () => {
    const key = await storedImage(await corruptPng());
    await deliver(JOBS_QUEUE, [
      { id: 'corrupt-retry', body: { type: 'image.process', image_key: key } },
    ]);
    const row = await failedJob('corrupt-retry');
    const retry = await retryAsAdmin(row?.id);
    expect(retry.status).toBe(422);
    expect(retry.body.code).toBe('not_retryable');
    // A redelivered copy of the message does nothing more.
    const again = await deliver(JOBS_QUEUE, [
      { id: 'corrupt-again', body: { type: 'image.process', image_key: key } },
    ]);
    expect(again.explicitAcks).toEqual(['corrupt-again']);
    expect(await failedJob('corrupt-again')).toBeNull();
  });

  it('a failing Images binding (not the image) is still retried with backoff', async () => {
    const key = await storedImage(await makePng(30, 20));
    const outage = {
      input() {
        throw new Error('Images binding unavailable');
      },
      info() {
        throw new Error('Images binding unavailable');
      },
    } as unknown as ImagesBinding;
    const result = await deliver(
      JOBS_QUEUE,
      [{ id: 'outage-1', body: { type: 'image.process', image_key: key }, attempts: 2 }],
      { ...env, IMAGES: outage },
    );
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryDelays).toEqual({ 'outage-1': retryDelaySeconds(2) });
    expect(await failedJob('outage-1')).toBeNull();
    expect((await imageState(key))?.thumbnail_failed_at).toBeNull();
  });
});
