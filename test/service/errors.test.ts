import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { get } from '../support/http';

describe('problem responses and request ids', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const { status, body, headers } = await get('/api/v1/nope');
    expect(status).toBe(404);
    expect(headers.get('Content-Type')).toBe('application/problem+json');
    expect(body).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/api/v1/nope',
      code: 'route_not_found',
    });
    expect(body.request_id).toBe(headers.get('X-Request-Id'));
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const sane = await get('/health', { headers: { 'X-Request-Id': 'client-req-12345' } });
    expect(sane.headers.get('X-Request-Id')).toBe('client-req-12345');
    const unsafe = await get('/health', { headers: { 'X-Request-Id': 'bad id <script>' } });
    const generated = unsafe.headers.get('X-Request-Id') ?? '';
    expect(generated).not.toContain('<');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every response a fresh id when none is sent', async () => {
    const a = await get('/health');
    const b = await get('/health');
    expect(a.headers.get('X-Request-Id')).toBeTruthy();
    expect(a.headers.get('X-Request-Id')).not.toBe(b.headers.get('X-Request-Id'));
  });

  it('sends secure headers', async () => {
    const { headers } = await get('/health');
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('Strict-Transport-Security')).toContain('max-age=');
  });

  it('refuses a JSON body over the size limit with 413', async () => {
    // The limit applies before routing, so any path shows it; raw fetch since no route is declared.
    const res = await exports.default.fetch('http://localhost/api/v1/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('payload_too_large');
  });
});
