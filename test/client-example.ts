// How a consumer uses the generated types (README, "Typed client"): openapi-fetch over
// src/client/openapi.d.ts. tsc compiles this file with the rest of test/, and
// test/node/client.test.ts compiles it on its own; test/client/typed-client.test.ts runs it
// against the Worker.
import createClient from 'openapi-fetch';
import type { components, paths } from '../src/client/openapi';

export type UblogClient = ReturnType<typeof createClient<paths>>;

/** `fetch` defaults to the global one; tests pass the Worker's own fetch handler. */
export const createUblogClient = (
  baseUrl: string,
  fetch?: (request: Request) => Promise<Response>,
): UblogClient => createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });

/** A typed call: `data` is the 200 body, `error` the declared error bodies. */
export async function databaseStatus(client: UblogClient) {
  const { data, error, response } = await client.GET('/health');
  if (data) return data.database satisfies 'ok' | 'error';
  // 503 answers with the same Health shape; anything else is a problem document.
  if (error && 'database' in error) return error.database;
  throw new Error(`GET /health answered ${response.status}`);
}

export type Post = components['schemas']['Post'];

export interface NewAccount {
  email: string;
  username: string;
  password: string;
}

/** Register, log in, write a post, like it, and find it in the author's list: all typed. */
export async function firstPost(client: UblogClient, account: NewAccount, text: string) {
  const registered = await client.POST('/api/v1/auth/register', { body: account });
  if (registered.error) throw new Error(`register: ${registered.error.detail}`);

  const login = await client.POST('/api/v1/auth/login', {
    body: { username: account.username, password: account.password },
  });
  if (!login.data) throw new Error(`login: ${login.error.detail}`);
  const headers = { Authorization: `${login.data.token_type} ${login.data.access_token}` };

  const created = await client.POST('/api/v1/posts', { body: { body: text }, headers });
  if (!created.data) throw new Error(`create: ${created.error.detail}`);
  const post: Post = created.data;

  const liked = await client.PUT('/api/v1/posts/{id}/like', {
    params: { path: { id: post.id } },
    headers,
  });
  if (!liked.data) throw new Error(`like: ${liked.error.detail}`);

  const list = await client.GET('/api/v1/posts', {
    params: { query: { author: account.username, limit: 20 } },
    headers,
  });
  if (!list.data) throw new Error(`list: ${list.error.detail}`);
  return { post, likeCount: liked.data.like_count, listed: list.data.items };
}

// Never called: each line must fail to compile, which proves the types are not `any`.
export function typeErrorsTheClientCatches(client: UblogClient) {
  // @ts-expect-error: no such path in the API
  void client.GET('/api/v1/no-such-path');
  // @ts-expect-error: /health has no POST
  void client.POST('/health');
  void client.GET('/health').then(({ data }) => {
    // @ts-expect-error: the health body has no such field
    void data?.uptime;
  });
  // @ts-expect-error: a post's body must be a string
  void client.POST('/api/v1/posts', { body: { body: 42 } });
  // @ts-expect-error: the path parameter is required
  void client.PUT('/api/v1/posts/{id}/like', {});
}
