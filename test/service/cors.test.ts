import { describe, expect, it } from 'vitest';
import { call, get } from '../support/http';

describe('CORS', () => {
  it('allows an origin from the allowlist, with credentials', async () => {
    const { headers } = await get('/health', { headers: { Origin: 'http://localhost:5173' } });
    expect(headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id');
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
