import { describe, expect, it } from 'vitest';
import { call, get } from '../support/http';

describe('GET /docs', () => {
  it('serves the reference page, loading only this origin', async () => {
    const { status, body, headers } = await get('/docs');
    expect(status).toBe(200);
    expect(headers.get('Content-Type')).toContain('text/html');
    expect(body).toContain('/docs/assets/swagger-ui-bundle.js');
    // No absolute URL to any host in src/href attributes.
    expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
    const csp = headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
  });
});

describe('/docs and /graphql static files', () => {
  it.each([
    ['/docs/assets/swagger-ui-bundle.js', 'javascript'],
    ['/docs/assets/swagger-ui.css', 'text/css'],
    ['/docs/init.js', 'javascript'],
    ['/graphql/assets/graphiql.min.js', 'javascript'],
    ['/graphql/init.js', 'javascript'],
  ])('%s is served through the Worker, with X-Request-Id', async (path, type) => {
    const { status, headers } = await get(path);
    expect(status).toBe(200);
    expect(headers.get('Content-Type')).toContain(type);
    expect(headers.get('X-Request-Id')).toBeTruthy();
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');

    const again = await call(path, { headers: { 'If-None-Match': headers.get('ETag') ?? '' } });
    expect(again.status).toBe(304);
    expect(again.headers.get('X-Request-Id')).toBeTruthy();
  });
});
