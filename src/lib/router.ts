import type { RouteConfig } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { Router as HonoRouter, Result } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../env';
import { JSON_MEDIA_TYPE } from './media-type';
import { problemResponse } from './openapi';
import { type ApiError, methodNotAllowed, notFound } from './problem';
import { requestValidators, unsupportedBodyDetail } from './request-validation';
import { uploadTooLarge } from './uploads';

/**
 * The statuses the router's own checks answer (see requestValidators), declared on every
 * route so the document can never miss one: 422 for an invalid or unknown field, and for a
 * route with a body 400 (unparseable), 413 (too large) and 415 (a type it does not take),
 * with examples of what this route sends. A route that declares one of these itself keeps
 * its description, which may cover more cases.
 */
function withRequestProblems(route: RouteConfig): RouteConfig {
  const body = route.request?.body;
  const answered = [problemResponse(422)];
  if (body) {
    const takesJson = body.content[JSON_MEDIA_TYPE] !== undefined;
    const upload = uploadTooLarge();
    answered.push(
      problemResponse(400, {
        code: 'malformed_body',
        detail: takesJson
          ? 'The request body is not valid JSON.'
          : 'The multipart body could not be parsed.',
      }),
      takesJson
        ? problemResponse(413, { detail: 'The request body is larger than 65536 bytes.' })
        : problemResponse(413, { code: upload.code, detail: upload.message }),
      problemResponse(415, { detail: unsupportedBodyDetail(body, 'text/plain') }),
    );
  }
  const responses: RouteConfig['responses'] = { ...route.responses };
  for (const entry of answered) {
    const status = entry.content['application/problem+json'].example.status;
    const own = responses[status];
    const description = own && 'description' in own ? own.description : entry.description;
    responses[status] = { ...entry, description } as RouteConfig['responses'][string];
  }
  return { ...route, responses };
}

/**
 * Hono's default router (one compiled RegExp where the paths allow, else a trie) that also takes
 * routes after its first match: the first match after an add compiles the routes again, in the
 * order they were added. The app's features join it on their first request, so an isolate
 * compiles once per feature it serves; a trie, which takes late routes as they come, cost
 * several times more per request to search (about 0.25 ms of a 3 ms read).
 */
export class RecompilingRouter<T> implements HonoRouter<T> {
  name = 'RecompilingRouter';
  readonly #routes: [method: string, path: string, handler: T][] = [];
  #compiled: HonoRouter<T> | null = null;

  add(method: string, path: string, handler: T) {
    this.#routes.push([method, path, handler]);
    this.#compiled = null;
  }

  match(method: string, path: string): Result<T> {
    if (!this.#compiled) {
      const compiled = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] });
      for (const [m, p, handler] of this.#routes) compiled.add(m, p, handler);
      this.#compiled = compiled;
    }
    return this.#compiled.match(method, path);
  }
}

/**
 * Every router comes from here. Its routes are validated by requestValidators, not by the
 * library: one media-type parser for bodies (RFC 9110, so `application/json ; charset=utf-8`
 * is JSON and `application/json-patch+json` is not), unknown query parameters refused,
 * and field messages in the contract's words.
 */
export function createRouter(options: { addsRoutesLater?: boolean } = {}) {
  const router = new OpenAPIHono<AppEnv>({
    strict: false,
    // The default router compiles its routes on the first request and takes no more after.
    ...(options.addsRoutesLater ? { router: new RecompilingRouter() } : {}),
  });
  const addRoute = router.openapi;
  router.openapi = ((route: RouteConfig & { hide?: boolean }, handler: never, hook?: unknown) => {
    if (hook) throw new Error(`${route.operationId}: per-route hooks are not supported.`);
    const { middleware, hide, ...declared } = route;
    if (!hide) router.openAPIRegistry.registerPath(withRequestProblems(declared));
    const routeMiddleware = middleware === undefined ? [] : [middleware].flat();
    return addRoute(
      {
        ...declared,
        request: undefined,
        hide: true,
        middleware: [...routeMiddleware, ...requestValidators(declared.request)],
      },
      handler,
    );
  }) as typeof router.openapi;
  return router;
}

/** A router as createRouter makes it, whatever its routes. */
export type Router = OpenAPIHono<AppEnv>;

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods the app's routes serve at `path` (HEAD wherever GET is), in a stable order. */
export function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const methods = new Set(app.routes.map((r) => r.method).filter((m) => m !== 'ALL'));
  const allowed = [...methods].filter((method) =>
    app.router.match(method, path)[0].some(([[, route]]) => route.method === method),
  );
  if (allowed.includes('GET')) allowed.push('HEAD');
  const rank = (method: string) => {
    const at = METHOD_ORDER.indexOf(method);
    return at === -1 ? METHOD_ORDER.length : at;
  };
  return allowed.sort((a, b) => rank(a) - rank(b));
}

/** No route answered: 405 with `Allow` when the path serves other methods, else 404. */
export function unmatchedRoute(app: Hono<AppEnv>, method: string, path: string): ApiError {
  const allowed = allowedMethods(app, path);
  if (allowed.length === 0) {
    return notFound(`No route matches ${method} ${path}.`, 'route_not_found');
  }
  return methodNotAllowed(
    allowed,
    `${method} is not allowed on ${path}; it serves ${allowed.join(', ')}.`,
  );
}
