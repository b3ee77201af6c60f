import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createUblogClient, databaseStatus, firstPost } from '../client-example';
import { assertMatchesContract } from '../support/contract';

// The usage example in test/client-example.ts, run through the Worker's own fetch handler.
// Every response also goes through the contract checker, as in the other HTTP tests.
const workerFetch = async (request: Request) => {
  const res = await exports.default.fetch(request);
  const copy = res.clone();
  const ct = copy.headers.get('Content-Type') ?? '';
  const body = ct.includes('json') ? await copy.json() : await copy.text();
  assertMatchesContract(request.method, request.url, res, body === '' ? undefined : body);
  return res;
};

const client = createUblogClient('http://localhost', workerFetch);

describe('the typed client (openapi-fetch over src/client/openapi.d.ts)', () => {
  it('reads /health through the generated types', async () => {
    expect(await databaseStatus(client)).toBe('ok');
  });

  it('registers, logs in, posts, likes and lists through the typed calls', async () => {
    const suffix = crypto.randomUUID().slice(0, 8);
    const account = {
      email: `typed_${suffix}@example.com`,
      username: `typed_${suffix}`,
      password: `correct horse ${suffix} battery`,
    };
    const { post, likeCount, listed } = await firstPost(client, account, 'Typed from end to end.');
    expect(post.body).toBe('Typed from end to end.');
    expect(post.author.username).toBe(account.username);
    expect(likeCount).toBe(1);
    expect(listed.map((p) => p.id)).toEqual([post.id]);
    expect(listed[0]?.liked_by_me).toBe(true);
  });

  it('gets the docs page as text', async () => {
    const { data, response } = await client.GET('/docs', { parseAs: 'text' });
    expect(response.status).toBe(200);
    expect(data).toContain('swagger-ui');
  });
});
