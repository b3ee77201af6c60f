import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env';
import { toApiError } from '../../lib/errors';

export const GRAPHQL_PATH = '/graphql';

/**
 * What the app-wide middleware refuses on /graphql (an invalid token, a body over the limit,
 * a rate limit) leaves as a GraphQL response with the REST problem's status, headers and code,
 * so GraphQL clients read every error the same way.
 */
export const graphqlErrorShape = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.error) return;
  const err = toApiError(c.error);
  const internal = err.status >= 500;
  const message = internal
    ? 'Something went wrong on our side. Quote the request_id if you report it.'
    : err.message;
  const extensions = internal
    ? { code: err.code, request_id: c.get('requestId') ?? '' }
    : { code: err.code };
  c.res = new Response(JSON.stringify({ errors: [{ message, extensions }] }), {
    status: err.status,
    headers: { ...err.headers, 'Content-Type': 'application/json; charset=utf-8' },
  });
});
