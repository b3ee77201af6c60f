import { describe, expect, it } from 'vitest';
import { get } from '../support/http';

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
