// How a consumer uses the generated types (README, "Typed client"): openapi-fetch over
// src/client/openapi.d.ts. tsc compiles this file with the rest of test/, and
// test/node/client.test.ts compiles it on its own; test/client/typed-client.test.ts runs it
// against the Worker.
import createClient from 'openapi-fetch';
import type { paths } from '../src/client/openapi';

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
}
