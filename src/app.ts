import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { MiddlewareHandler } from 'hono/types';
import { getPath } from 'hono/utils/url';
import { openDatabase } from './db/client';
import { d1ServerTiming, meteredD1, newD1Usage } from './db/metrics';
import { type AppEnv, type Config, readConfig } from './env';
import { graphiqlAssetsRouter, graphiqlPage } from './features/graphiql';
import { GRAPHQL_PATH, graphqlErrorShape } from './features/graphql/graphql.middleware';
import { healthWhenMisconfigured } from './features/health/health.middleware';
import { optionalAuth, sendsBearer } from './lib/auth';
import {
  BOOKMARK_HEADER,
  registerBookmarkComponents,
  sessionStart,
  withBookmarkHeader,
} from './lib/bookmark';
import { callerCaching } from './lib/caching';
import { edgeCache } from './lib/edge-cache';
import { onError, problemResponse } from './lib/errors';
import { entityTags } from './lib/etag';
import { isJson, JSON_MEDIA_TYPE } from './lib/media-type';
import { API_PREFIX, BEARER, REFRESH_COOKIE_SCHEME, TAGS } from './lib/openapi';
import { at, except, pipeline, under } from './lib/pipeline';
import { payloadTooLarge } from './lib/problem';
import { withOperationProblemExamples } from './lib/problem-examples';
import { requestId } from './lib/request-id';
import { requestLog } from './lib/request-log';
import { declaredBodyTypes } from './lib/request-validation';
import { createRouter, type Router, unmatchedRoute } from './lib/router';

export { API_PREFIX };

const API_DESCRIPTION = [
  'A blogging and social API on Cloudflare Workers: accounts, profiles, statuses, posts with images, likes, and an admin surface. Errors are RFC 9457 problem details with a stable `code`.',
  '',
  "Every answer that is the caller's own (routes that need the bearer token or the refresh cookie, reads made with a token, responses that set a cookie) carries `Cache-Control: private, no-store`; routes that accept a bearer token answer with `Vary: Authorization`.",
  '',
  "Anonymous reads (a `GET` of posts, a post, its likes, profiles, a profile, statuses or a status, with no `Authorization`, no `X-D1-Bookmark` and no refresh cookie) may be served from the edge cache of the location that answers: `Cache-Control: public, max-age=0, s-maxage=N, stale-while-revalidate=N` (N is the deployment's EDGE_CACHE_SECONDS, 10 by default), with the same `ETag` and `304` handling. A write purges what it changed (the item, the first page of the lists it appears in, the author's profile) in the location that handled it; other locations and later pages converge within N seconds. To read your own write at once, send the `X-D1-Bookmark` you got back.",
  '',
  '**Trying it here:** run `POST /api/v1/auth/login` (pick the email or the username example; the demo accounts of `npm run dev` use the password `ublog-demo-password`), copy `access_token` from the answer, press **Authorize** and paste it as the bearer token. It stays set across reloads of this page and expires after 15 minutes: log in again, or call `POST /api/v1/auth/refresh`, which uses the refresh cookie login set.',
  '',
  'Operations marked with a lock need the token; where signing in is optional the description says what it changes.',
  '',
  'The same data is also a GraphQL API at [/graphql](/graphql) (open it in a browser for GraphiQL); its schema as SDL is at [/graphql/schema.graphql](/graphql/schema.graphql).',
].join('\n');

/** Everything in /openapi.json besides the operations. */
const documentInfo = (origin: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'μblog on the edge',
    version: '1.0.0',
    description: API_DESCRIPTION,
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: origin, description: 'This deployment' }],
  tags: [...TAGS],
  security: [],
});

export const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-D1-Bookmark',
  'ETag',
  'Location',
  'Link',
  'Retry-After',
  'Allow',
];

/**
 * Config and the database for this request. On D1 the request gets its own session (writes
 * and requests with a bearer token start at the primary; other reads start from the client's
 * bookmark, or anywhere) and the response hands back the session's latest bookmark.
 */
const services = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  c.set('config', config);
  const usage = config.BENCH_METRICS ? newD1Usage() : null;
  const database = await openDatabase(
    usage ? { DB: meteredD1(c.env.DB, usage) } : c.env,
    config,
    sessionStart(c.req.method, c.req.header(BOOKMARK_HEADER), sendsBearer(c)),
  );
  c.set('db', database.db);
  await next();
  const bookmark = database.bookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
  if (usage) c.res.headers.append('Server-Timing', d1ServerTiming(usage));
});

/** A middleware built from the config, once per config (an isolate parses its config once). */
function perConfig(build: (config: Config) => MiddlewareHandler<AppEnv>) {
  const built = new WeakMap<Config, MiddlewareHandler<AppEnv>>();
  return createMiddleware<AppEnv>((c, next) => {
    const config = c.get('config');
    let middleware = built.get(config);
    if (!middleware) {
      middleware = build(config);
      built.set(config, middleware);
    }
    return middleware(c, next);
  });
}

/**
 * CORS. A preflight goes to hono's cors; any other request gets the same headers once it has
 * its answer. (hono's cors sets them on `c.res` before the route runs, which makes Hono copy
 * every answer into a new Response, and append Vary with `c.header` after, which copies it
 * again: two copies of each response, and the ETag middleware's record of the JSON it tagged
 * lost with the original.)
 */
const corsFromConfig = perConfig((config) => {
  const allowedOrigin = (origin: string) => (config.CORS_ORIGINS.includes(origin) ? origin : null);
  const preflight = cors({
    origin: allowedOrigin,
    credentials: true,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
      'X-Request-Id',
      'X-D1-Bookmark',
    ],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  const exposed = EXPOSED_HEADERS.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const { headers } = c.res;
    const origin = allowedOrigin(c.req.header('Origin') ?? '');
    if (origin) headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Credentials', 'true');
    headers.set('Access-Control-Expose-Headers', exposed);
    headers.append('Vary', 'Origin');
  };
});

// Only JSON bodies are read whole, so only they need this limit, and only where a JSON body is
// taken: uploads (multipart) are limited by the upload code while they stream, and a body of a
// type the route does not take is refused with 415 unread, not mistaken for too large a JSON.
const jsonBodyLimit = perConfig(({ MAX_JSON_BODY_BYTES: maxSize }) => {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw payloadTooLarge(`The request body is larger than ${maxSize} bytes.`);
    },
  });
  return (c, next) => {
    if (!isJson(c.req.header('Content-Type'))) return next();
    const takes = declaredBodyTypes(c);
    if (takes && !takes.includes(JSON_MEDIA_TYPE)) return next();
    return limit(c, next);
  };
});

interface Feature {
  /** The requests it answers: this path and those under it. */
  prefix: string;
  /** Where its router's paths start (routers outside the API declare whole paths). */
  mountAt: string;
  load: () => Promise<Router>;
}

/**
 * Every router but GraphiQL's static files, in the order the OpenAPI document lists them.
 * Each is built on the first request under its prefix: a cold start evaluates none of their
 * route definitions, schemas or handlers (esbuild leaves a module that is only imported
 * dynamically unevaluated until then), and a first request pays for its own feature only.
 */
const FEATURES: readonly Feature[] = [
  {
    prefix: '/health',
    mountAt: '/',
    load: async () => (await import('./features/health')).healthRouter,
  },
  { prefix: '/docs', mountAt: '/', load: async () => (await import('./features/docs')).docsRouter },
  ...(
    [
      ['auth', async () => (await import('./features/auth')).authRouter],
      ['users', async () => (await import('./features/users')).usersRouter],
      ['profiles', async () => (await import('./features/profiles')).profilesRouter],
      ['statuses', async () => (await import('./features/statuses')).statusesRouter],
      ['posts', async () => (await import('./features/posts')).postsRouter],
      ['images', async () => (await import('./features/images')).imagesRouter],
      ['admin', async () => (await import('./features/admin')).adminRouter],
    ] as const
  ).map(([name, load]) => ({
    prefix: `${API_PREFIX}/${name}`,
    mountAt: `${API_PREFIX}/${name}`,
    load,
  })),
  {
    prefix: GRAPHQL_PATH,
    mountAt: '/',
    load: async () => (await import('./features/graphql')).graphqlRouter,
  },
];

const serves = (feature: Feature, path: string) =>
  path.startsWith(feature.prefix) &&
  (path.length === feature.prefix.length || path[feature.prefix.length] === '/');

/**
 * The whole API as the document describes it: every router mounted in order, then the shared
 * components. Built when /openapi.json is first asked for, never at start-up.
 */
export async function describeApi() {
  const routers = await Promise.all(FEATURES.map((feature) => feature.load()));
  const api = createRouter();
  FEATURES.forEach((feature, i) => {
    const router = routers[i];
    if (router) api.route(feature.mountAt, router);
    // GraphiQL's files come after /docs in the document, as its router is mounted here.
    if (feature.prefix === '/docs') api.route('/', graphiqlAssetsRouter);
  });
  registerBookmarkComponents(api.openAPIRegistry);
  api.openAPIRegistry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from POST /api/v1/auth/login or /refresh (15 minutes by default).',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', REFRESH_COOKIE_SCHEME, {
    type: 'apiKey',
    in: 'cookie',
    name: '__Secure-ublog_refresh',
    description:
      'The rotating refresh token: HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth. Set by login and refresh.',
  });
  return api;
}

export function createApp() {
  // Routes are added after the first request (features mount on demand): see RecompilingRouter.
  const app = createRouter({ addsRoutesLater: true });

  app.use(
    '*',
    pipeline(onError, [
      requestId,
      at('/health', healthWhenMisconfigured),
      services,
      under(API_PREFIX, requestLog),
      at(GRAPHQL_PATH, requestLog),
      at(GRAPHQL_PATH, graphqlErrorShape),
      secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }),
      corsFromConfig,
      jsonBodyLimit,
      // Outside the ETag middleware, so a 304 carries the same caching headers as its 200.
      callerCaching(() => app.openAPIRegistry),
      // A health probe always gets the live answer, so /health is never tagged (and never 304).
      except('/health', entityTags),
      // Inside the ETag middleware (a hit still answers If-None-Match), before authentication.
      under(API_PREFIX, edgeCache),
      // Before the GraphQL endpoint: a browser's GET /graphql gets GraphiQL; the rest pass.
      at(GRAPHQL_PATH, graphiqlPage),
      // GraphQL declares the bearer optional: it judges a token when one is sent.
      at(GRAPHQL_PATH, optionalAuth),
    ]),
  );

  app.route('/', graphiqlAssetsRouter);

  let document: Router | undefined;
  app.get('/openapi.json', async (c) => {
    document ??= await describeApi();
    return c.json(
      withBookmarkHeader(
        withOperationProblemExamples(
          document.getOpenAPI31Document(documentInfo(new URL(c.req.url).origin)),
        ),
      ),
    );
  });

  app.notFound((c) =>
    problemResponse(c, unmatchedRoute(app, c.req.method, new URL(c.req.url).pathname)),
  );
  app.onError(onError);

  // A feature's routes join the app before its first request is routed (routes added later
  // still run after the middleware above: the router keeps the order they were added in).
  const mounted = new Map<Feature, Promise<void> | true>();
  const mount = (feature: Feature) => {
    const loading = feature.load().then(
      (router) => {
        app.route(feature.mountAt, router);
        mounted.set(feature, true);
      },
      (err: unknown) => {
        mounted.delete(feature);
        throw err;
      },
    );
    mounted.set(feature, loading);
    return loading;
  };
  const dispatch = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    const path = getPath(request);
    const feature = FEATURES.find((candidate) => serves(candidate, path));
    const state = feature && (mounted.get(feature) ?? mount(feature));
    if (!state || state === true) return dispatch(request, env, executionCtx);
    return state.then(() => dispatch(request, env, executionCtx));
  };
  return app;
}

export type App = ReturnType<typeof createApp>;
