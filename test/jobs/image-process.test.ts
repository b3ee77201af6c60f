import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/jobs';
import { sniffImage } from '../../src/lib/image-sniff';
import { thumbnailKeyFor } from '../../src/lib/uploads';
import { makePng, storeTestImage } from '../support/images';
import { DEAD_LETTER_QUEUE, deliver, JOBS_QUEUE } from '../support/queue';

const seedPng = async (width: number, height: number) =>
  storeTestImage(await makePng(width, height));

const thumbnailKeyOf = async (key: string) =>
  (
    await env.DB.prepare('select thumbnail_key from images where key = ?')
      .bind(key)
      .first<{ thumbnail_key: string | null }>()
  )?.thumbnail_key;

const objectsUnder = async (prefix: string) =>
  (await env.BUCKET.list({ prefix })).objects.map((o) => o.key).sort();

describe('image.process', () => {
  it('makes a WebP thumbnail of at most 320 px and records its key', async () => {
    const image = await seedPng(500, 1000);
    const result = await deliver(JOBS_QUEUE, [
      { id: 'thumb-1', body: { type: 'image.process', image_key: image.key } },
    ]);
    expect(result.explicitAcks).toEqual(['thumb-1']);
    expect(result.retryMessages).toEqual([]);
    const thumbKey = await thumbnailKeyOf(image.key);
    expect(thumbKey).toBe(thumbnailKeyFor(image.key));
    const object = await env.BUCKET.get(thumbKey ?? '');
    expect(object?.httpMetadata?.contentType).toBe('image/webp');
    const bytes = new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0));
    expect(sniffImage(bytes)).toMatchObject({ contentType: 'image/webp', width: 160, height: 320 });
  });

  it('does not enlarge a small image', async () => {
    const image = await seedPng(40, 30);
    await deliver(JOBS_QUEUE, [{ body: { type: 'image.process', image_key: image.key } }]);
    const object = await env.BUCKET.get(thumbnailKeyFor(image.key));
    const bytes = new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0));
    expect(sniffImage(bytes)).toMatchObject({ width: 40, height: 30 });
  });

  it('delivered twice (even in one batch) makes exactly one thumbnail', async () => {
    const image = await seedPng(640, 480);
    const message = { type: 'image.process', image_key: image.key };
    const first = await deliver(JOBS_QUEUE, [{ body: message }, { body: message }]);
    expect(first.explicitAcks).toHaveLength(2);
    const afterFirst = await env.BUCKET.head(thumbnailKeyFor(image.key));
    const second = await deliver(JOBS_QUEUE, [{ body: message, attempts: 2 }]);
    expect(second.explicitAcks).toHaveLength(1);
    const prefix = image.key.slice(0, image.key.lastIndexOf('/') + 1);
    expect(await objectsUnder(prefix)).toEqual([image.key, thumbnailKeyFor(image.key)].sort());
    // The redelivery found the thumbnail and did not write it again.
    const afterSecond = await env.BUCKET.head(thumbnailKeyFor(image.key));
    expect(afterSecond?.etag).toBe(afterFirst?.etag);
    expect(afterSecond?.uploaded.getTime()).toBe(afterFirst?.uploaded.getTime());
  });

  it('acks a message for an image deleted meanwhile without making anything', async () => {
    const result = await deliver(JOBS_QUEUE, [
      { id: 'gone', body: { type: 'image.process', image_key: 'u/nobody/gone.png' } },
    ]);
    expect(result.explicitAcks).toEqual(['gone']);
    expect(await objectsUnder('u/nobody/')).toEqual([]);
  });

  it('retries a failing job with a growing delay, then records it from the dead-letter queue', async () => {
    // The Images binding itself is down (it cannot decode even its control image): a passing
    // failure, retried; an undecodable image fails at once instead (permanent-failures.test.ts).
    const image = await seedPng(30, 20);
    const key = image.key;
    const outage = {
      input() {
        throw new Error('Images binding unavailable');
      },
    } as unknown as ImagesBinding;
    const body = { type: 'image.process', image_key: key };

    const delays: (number | undefined)[] = [];
    for (const attempts of [1, 2, 3, 4, 5]) {
      const result = await deliver(JOBS_QUEUE, [{ id: `broken-${attempts}`, body, attempts }], {
        ...env,
        IMAGES: outage,
      });
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages).toEqual([{ msgId: `broken-${attempts}` }]);
      delays.push(result.retryDelays[`broken-${attempts}`]);
    }
    expect(delays).toEqual([1, 2, 3, 4, 5].map(retryDelaySeconds));
    expect(delays).toEqual([10, 20, 40, 80, 160]);

    // After max_retries the platform moves it to the dead-letter queue, whose consumer records it.
    const dead = await deliver(DEAD_LETTER_QUEUE, [{ id: 'broken-dead', body, attempts: 6 }]);
    expect(dead.ackAll).toBe(true);
    const row = await env.DB.prepare(
      'select queue, type, body, attempts, error, retryable from failed_jobs where message_id = ?',
    )
      .bind('broken-dead')
      .first<{ queue: string; type: string; body: string; attempts: number; error: string }>();
    expect(row).toMatchObject({
      queue: DEAD_LETTER_QUEUE,
      type: 'image.process',
      attempts: 6,
      retryable: 1,
    });
    expect(JSON.parse(row?.body ?? 'null')).toEqual(body);
    expect(await thumbnailKeyOf(key)).toBeNull();
  });

  it('records a malformed image.process message in failed_jobs without retrying it', async () => {
    const result = await deliver(JOBS_QUEUE, [
      { id: 'malformed-img', body: { type: 'image.process', image_key: 42 } },
    ]);
    expect(result.explicitAcks).toEqual(['malformed-img']);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare('select type, error from failed_jobs where message_id = ?')
      .bind('malformed-img')
      .first<{ type: string; error: string }>();
    expect(row?.type).toBe('image.process');
    expect(row?.error).toMatch(/image_key/);
  });
});
