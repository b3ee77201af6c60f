import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import workerModule from '../../src/index';
import { sniffImage } from '../../src/lib/image-sniff';
import { get } from '../support/http';
import { JPEG_3X2, makePng, storeTestImage } from '../support/images';

const urlOf = (key: string, variant?: string) =>
  `/api/v1/images/${encodeURIComponent(key)}${variant ? `?variant=${variant}` : ''}`;

async function runImageJob(key: string) {
  const batch = createMessageBatch('ublog-jobs', [
    {
      id: `img-${key}`,
      timestamp: new Date(),
      attempts: 1,
      body: { type: 'image.process', image_key: key },
    },
  ]);
  const ctx = createExecutionContext();
  await workerModule.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe('GET /images/{key}', () => {
  it('streams the bytes with the contract headers', async () => {
    const image = await storeTestImage(JPEG_3X2);
    const { status, headers, body } = await get(urlOf(image.key));
    expect(status).toBe(200);
    expect(new Uint8Array(body)).toEqual(JPEG_3X2);
    expect(headers.get('Content-Type')).toBe('image/jpeg');
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('Content-Disposition')).toBe('inline');
    expect(headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(headers.get('Content-Length')).toBe(String(JPEG_3X2.length));
    expect(headers.get('ETag')).toMatch(/^"[0-9a-f]+"$/);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const image = await storeTestImage(JPEG_3X2);
    const first = await get(urlOf(image.key));
    const etag = first.headers.get('ETag') ?? '';
    const again = await get(urlOf(image.key), { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers.get('ETag')).toBe(etag);
    expect(again.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const other = await get(urlOf(image.key), { headers: { 'If-None-Match': '"something-else"' } });
    expect(other.status).toBe(200);
  });

  it('serves byte ranges with 206 and Content-Range', async () => {
    const png = await makePng(64, 64);
    const image = await storeTestImage(png);
    const head = await get(urlOf(image.key), { headers: { Range: 'bytes=0-7' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('Content-Range')).toBe(`bytes 0-7/${png.length}`);
    expect(new Uint8Array(head.body)).toEqual(png.subarray(0, 8));

    const tail = await get(urlOf(image.key), { headers: { Range: 'bytes=-12' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('Content-Range')).toBe(
      `bytes ${png.length - 12}-${png.length - 1}/${png.length}`,
    );
    expect(new Uint8Array(tail.body)).toEqual(png.subarray(png.length - 12));

    const open = await get(urlOf(image.key), { headers: { Range: 'bytes=10-' } });
    expect(open.status).toBe(206);
    expect(new Uint8Array(open.body)).toEqual(png.subarray(10));
  });

  it('ignores unsatisfiable or multiple ranges and sends the whole image', async () => {
    const image = await storeTestImage(JPEG_3X2);
    for (const range of ['bytes=5000-6000', 'bytes=0-1,4-5', 'items=0-1']) {
      const { status, body } = await get(urlOf(image.key), { headers: { Range: range } });
      expect(status, range).toBe(200);
      expect(new Uint8Array(body)).toEqual(JPEG_3X2);
    }
  });

  it('404s for an unknown key, and for a thumbnail not made yet', async () => {
    const unknown = await get(urlOf('u/nobody/nothing.png'));
    expect(unknown.status).toBe(404);
    const image = await storeTestImage(JPEG_3X2);
    const thumb = await get(urlOf(image.key, 'thumbnail'));
    expect(thumb.status).toBe(404);
    expect(thumb.body.code).toBe('thumbnail_not_ready');
    expect(thumb.headers.get('Cache-Control')).toBe('no-store');
  });

  it('422s for an unknown variant', async () => {
    const image = await storeTestImage(JPEG_3X2);
    const { status, body } = await get(urlOf(image.key, 'huge'));
    expect(status).toBe(422);
    expect(body.errors[0].path).toBe('/query/variant');
  });

  it('serves the WebP thumbnail once the image job has made it', async () => {
    const image = await storeTestImage(await makePng(800, 600));
    const result = await runImageJob(image.key);
    expect(result.explicitAcks).toEqual([`img-${image.key}`]);
    const { status, headers, body } = await get(urlOf(image.key, 'thumbnail'));
    expect(status).toBe(200);
    expect(headers.get('Content-Type')).toBe('image/webp');
    expect(sniffImage(new Uint8Array(body))).toMatchObject({
      contentType: 'image/webp',
      width: 320,
      height: 240,
    });
  });
});
