import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { entityTags, etagOf, etagOfBytes } from '../../src/lib/etag';

const sha1Tag = async (text: string) => {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)),
  );
  return `"${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
};

function appWith(route: (c: import('hono').Context) => Response | Promise<Response>) {
  const app = new Hono();
  app.use('*', entityTags);
  app.get('/thing', route);
  app.post('/thing', route);
  return app;
}

describe('entityTags', () => {
  it('tags c.json from the text it rendered: the SHA-1 of the bytes sent, and GET and If-Match agree', async () => {
    const body = { id: 'p1', title: 'Grüße ✓', n: [1, 2, 3] };
    const res = await appWith((c) => c.json(body)).request('/thing');
    const text = await res.text();
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('ETag')).toBe(await sha1Tag(text));
    expect(res.headers.get('ETag')).toBe(await etagOf(body));
  });

  it('keeps the status and headers c.json was given', async () => {
    const res = await appWith((c) => c.json({ ok: true }, 203, { 'X-Extra': 'yes' })).request(
      '/thing',
    );
    expect(res.status).toBe(203);
    expect(res.headers.get('X-Extra')).toBe('yes');
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('ETag')).toBe(await sha1Tag('{"ok":true}'));
  });

  it('tags a response not made by c.json from its bytes, even after c.json rendered something else', async () => {
    const res = await appWith((c) => {
      c.json({ discarded: true });
      return new Response('the body sent', { headers: { 'Content-Type': 'text/plain' } });
    }).request('/thing');
    expect(await res.text()).toBe('the body sent');
    expect(res.headers.get('ETag')).toBe(await sha1Tag('the body sent'));
  });

  it('answers 304 to a matching If-None-Match and leaves other methods untagged', async () => {
    const app = appWith((c) => c.json({ id: 1 }));
    const tag = await sha1Tag('{"id":1}');
    const notModified = await app.request('/thing', { headers: { 'If-None-Match': tag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('ETag')).toBe(tag);
    expect(await notModified.text()).toBe('');
    const posted = await app.request('/thing', { method: 'POST' });
    expect(posted.headers.get('ETag')).toBeNull();
  });

  it('digests bodies over one chunk the same way on both paths', async () => {
    const long = 'x'.repeat(600_000);
    const res = await appWith((c) => c.json({ long })).request('/thing');
    const text = await res.text();
    expect(res.headers.get('ETag')).toBe(await etagOfBytes(new TextEncoder().encode(text)));
    const streamed = await appWith(() => new Response(text)).request('/thing');
    expect(streamed.headers.get('ETag')).toBe(res.headers.get('ETag'));
  });
});
