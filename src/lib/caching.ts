import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../env';
import { BEARER } from './openapi';
import type { createRouter } from './router';

type OpenAPIRegistry = ReturnType<typeof createRouter>['openAPIRegistry'];

/** Who a route answers, from the security it declares in the OpenAPI document. */
export type RouteAudience = 'public' | 'bearer' | 'optional_bearer' | 'cookie';

const PRIVATE = 'private, no-store';

type Security = Record<string, string[]>[] | undefined;

function audienceOf(security: Security): RouteAudience {
  if (!security || security.length === 0) return 'public';
  const bearer = security.filter((alt) => BEARER in alt).length;
  if (bearer === security.length) return 'bearer';
  if (bearer > 0) return 'optional_bearer';
  return 'cookie';
}

/** `METHOD /hono/:path` -> audience, for every route in the registry. */
function audienceIndex(registry: OpenAPIRegistry): Map<string, RouteAudience> {
  const index = new Map<string, RouteAudience>();
  for (const definition of registry.definitions) {
    if (definition.type !== 'route') continue;
    const { method, path, security } = definition.route;
    const honoPath = path.replaceAll(/\/{(.+?)}/g, '/:$1');
    index.set(`${method.toUpperCase()} ${honoPath}`, audienceOf(security));
  }
  return index;
}

function routeKey(c: Context): string | undefined {
  // The route that answered (GET /profiles/me, not /profiles/{username} matched after it);
  // when a middleware answered ('ALL'), the last route for one method that matched.
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  const route =
    answered && answered.method !== 'ALL'
      ? answered
      : routes.filter((r) => r.method !== 'ALL').at(-1);
  return route ? `${route.method} ${route.path}` : undefined;
}

/**
 * Cache headers for answers that depend on the caller, decided in one place from the route's
 * declared security: `Vary: Authorization` wherever a bearer token is accepted (the answer
 * differs by caller, even the anonymous one), and `Cache-Control: private, no-store` when the
 * answer is the caller's own: a bearer or cookie route, a read made with a token, or any
 * response that sets a cookie (login).
 */
export function callerCaching(registry: () => OpenAPIRegistry) {
  let index: Map<string, RouteAudience> | undefined;
  let indexed = 0;
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    // Rebuilt when routes were registered since (a feature mounts on its first request).
    const current = registry();
    if (!index || indexed !== current.definitions.length) {
      index = audienceIndex(current);
      indexed = current.definitions.length;
    }
    const key = routeKey(c);
    const audience = (key && index.get(key)) || 'public';
    if (audience === 'bearer' || audience === 'optional_bearer') {
      c.res.headers.append('Vary', 'Authorization');
    }
    const personal =
      audience === 'bearer' ||
      audience === 'cookie' ||
      (audience === 'optional_bearer' && c.get('auth') !== undefined) ||
      c.res.headers.has('Set-Cookie');
    if (personal) c.res.headers.set('Cache-Control', PRIVATE);
  });
}
