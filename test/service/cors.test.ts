import { describe, expect, it } from 'vitest';
import { call, get } from '../support/http';

describe('CORS', () => {
  it('allows an origin from the allowlist, with credentials', async () => {
    const { headers } = await get('/health', { headers: { Origin: 'http://localhost:5173' } });
    expect(headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id');
  });

  it('keeps the CORS headers on a 304, so a cross-origin revalidation is not a CORS failure', async () => {
    const headers = { Origin: 'http://localhost:5173' };
    const first = await get('/api/v1/posts?limit=1', { headers });
    const etag = first.headers.get('ETag');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await get('/api/v1/posts?limit=1', {
      headers: { ...headers, 'If-None-Match': etag! },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(again.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(again.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    expect(again.headers.get('Vary')).toContain('Origin');
  });

  it('puts the CORS headers on a problem answer too, and names Origin in Vary once', async () => {
    const { status, headers } = await get('/api/v1/posts/no-such-post', {
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(status).toBe(404);
    expect(headers.get('Content-Type')).toContain('application/problem+json');
    expect(headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    const vary = (headers.get('Vary') ?? '').split(',').map((v) => v.trim());
    expect(vary.filter((v) => v === 'Origin')).toHaveLength(1);
  });

  it('answers a preflight from an allowed origin', async () => {
    const { status, headers } = await call('/api/v1/posts', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(status).toBe(204);
    expect(headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(headers.get('Access-Control-Allow-Methods')).toContain('POST');
  });

  it('does not allow an origin outside the allowlist', async () => {
    const { headers } = await get('/health', { headers: { Origin: 'https://evil.example' } });
    expect(headers.get('Access-Control-Allow-Origin')).toBeNull();
    const pre = await call('/api/v1/posts', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
