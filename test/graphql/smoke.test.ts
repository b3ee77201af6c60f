import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('answers a posts query', async () => {
  const res = await exports.default.fetch(
    new Request('http://localhost/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: '{ posts(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }',
      }),
    }),
  );
  const text = await res.text();
  console.log(res.status, res.headers.get('content-type'), text);
  expect(res.status).toBe(200);
});
