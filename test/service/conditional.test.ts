import { describe, expect, it } from 'vitest';
import { createUser } from '../support/direct-users';
import { get, patch, post } from '../support/http';
import { JPEG_3X2, storeTestImage } from '../support/images';
import { documentedOperations, servedDocument } from '../support/operations';

// Conditional headers are parsed by the Worker itself (src/lib/conditional.ts), never handed
// raw to storage: an unparseable If-None-Match is ignored, an unparseable If-Match never holds.
const MALFORMED = ['W/', 'not-quoted', '"unterminated', 'null', 'W/"x', '"a" "b"', ',,'];

const imageUrl = (key: string) => `/api/v1/images/${encodeURIComponent(key)}`;

describe('If-None-Match', () => {
  it.each(MALFORMED)(
    'GET /images/{key} ignores the malformed %j and sends the image',
    async (value) => {
      const image = await storeTestImage(JPEG_3X2);
      const res = await get(imageUrl(image.key), { headers: { 'If-None-Match': value } });
      expect(res.status).toBe(200);
      expect(new Uint8Array(res.body)).toEqual(JPEG_3X2);
    },
  );

  it('GET /images/{key}: a list holding the current tag, or its weak form, is a 304', async () => {
    const image = await storeTestImage(JPEG_3X2);
    const etag = (await get(imageUrl(image.key))).headers.get('ETag') ?? '';
    for (const value of [`"other", ${etag}`, `W/${etag}`, '*']) {
      const res = await get(imageUrl(image.key), { headers: { 'If-None-Match': value } });
      expect(res.status, value).toBe(304);
      expect(res.headers.get('ETag')).toBe(etag);
    }
    const stale = await get(imageUrl(image.key), { headers: { 'If-None-Match': '"other"' } });
    expect(stale.status).toBe(200);
  });

  it('a JSON GET ignores a malformed header even when a current tag hides inside it', async () => {
    const author = await createUser();
    const created = await post('/api/v1/statuses', { content: 'tagged' }, { token: author.token });
    const url = `/api/v1/statuses/${created.body.id}`;
    const etag = (await get(url)).headers.get('ETag') ?? '';
    expect((await get(url, { headers: { 'If-None-Match': `${etag}, W/` } })).status).toBe(200);
    expect((await get(url, { headers: { 'If-None-Match': `not-quoted ${etag}` } })).status).toBe(
      200,
    );
    expect((await get(url, { headers: { 'If-None-Match': ` W/${etag} ,` } })).status).toBe(304);
  });
});

describe('If-Match', () => {
  it('an unparseable If-Match never holds: 412 malformed_if_match, nothing changes', async () => {
    const author = await createUser();
    const created = await post('/api/v1/statuses', { content: 'kept' }, { token: author.token });
    const url = `/api/v1/statuses/${created.body.id}`;
    const etag = (await get(url)).headers.get('ETag') ?? '';
    for (const value of [`not-quoted, ${etag}`, `${etag} junk`, '"unterminated', 'W/']) {
      const res = await patch(
        url,
        { content: 'changed' },
        { token: author.token, headers: { 'If-Match': value } },
      );
      expect(res.status, value).toBe(412);
      expect(res.body.code).toBe('malformed_if_match');
    }
    expect((await get(url)).body.content).toBe('kept');
    const ok = await patch(
      url,
      { content: 'changed' },
      { token: author.token, headers: { 'If-Match': `"other", ${etag}` } },
    );
    expect(ok.status).toBe(200);
  });
});

describe('service routes and conditional requests', () => {
  it('GET /docs declares the 304 it answers to a current If-None-Match', async () => {
    const first = await get('/docs');
    const etag = first.headers.get('ETag') ?? '';
    expect(etag).not.toBe('');
    // call() fails on any status the document does not declare for the route.
    const again = await get('/docs', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('Cache-Control')).toBe('public, max-age=300');
  });

  it('GET /health is never tagged: a probe always gets the live answer', async () => {
    const first = await get('/health');
    expect(first.headers.get('ETag')).toBeNull();
    const again = await get('/health', { headers: { 'If-None-Match': '*' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'ok', database: 'ok' });
  });
});

it('every GET the Worker tags (all but /health) declares 304 in the document', async () => {
  const doc = await servedDocument();
  const gets = (await documentedOperations()).filter((op) => op.method === 'GET');
  expect(gets.length).toBeGreaterThan(5);
  for (const op of gets) {
    const declared = Object.keys(doc.paths[op.path]?.get?.responses ?? {});
    expect(declared.includes('304'), op.path).toBe(op.path !== '/health');
  }
});
