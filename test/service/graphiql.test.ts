import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { get, ORIGIN, post } from '../support/http';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GET /graphql from a browser', () => {
  it('serves GraphiQL from this origin only', async () => {
    // Not through the contract-checked helper: the OpenAPI document describes GET /graphql's
    // GraphQL answers, and the page only in words.
    const res = await exports.default.fetch(
      new Request(`${ORIGIN}/graphql`, { headers: { Accept: BROWSER_ACCEPT } }),
    );
    const { status, headers } = res;
    const body = await res.text();
    expect(status).toBe(200);
    expect(headers.get('Content-Type')).toContain('text/html');
    expect(headers.get('Vary')).toContain('Accept');
    expect(headers.get('X-Request-Id')).toBeTruthy();
    for (const file of [
      '/graphql/assets/react.production.min.js',
      '/graphql/assets/react-dom.production.min.js',
      '/graphql/assets/graphiql.min.js',
      '/graphql/assets/graphiql.min.css',
      '/graphql/init.js',
    ]) {
      expect(body).toContain(`"${file}"`);
    }
    // No absolute URL to any host in src/href attributes, and no inline script.
    expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(body).not.toMatch(/<script>/);
    const csp = headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
  });
});

describe('/graphql requests that are not a browser page view', () => {
  it.each([
    ['no Accept', {}],
    ['Accept: */*', { Accept: '*/*' }],
    ['Accept: application/json', { Accept: 'application/json' }],
    [
      'Accept: application/graphql-response+json, text/html',
      { Accept: 'application/graphql-response+json, text/html' },
    ],
    ['HTML only at a lower quality', { Accept: 'text/html;q=0.5, application/json' }],
  ])('GET with %s goes on to the GraphQL endpoint', async (_, headers) => {
    const { headers: responseHeaders } = await get('/graphql', { headers });
    expect(responseHeaders.get('Content-Type')).toMatch(/json/);
  });

  it('POST with Accept: text/html goes on to the GraphQL endpoint', async () => {
    const { headers } = await post(
      '/graphql',
      { query: '{ __typename }' },
      { headers: { Accept: 'text/html' } },
    );
    expect(headers.get('Content-Type') ?? '').not.toContain('text/html');
  });
});
