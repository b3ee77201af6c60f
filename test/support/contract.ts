import type { RouteConfig } from '@hono/zod-openapi';
import { createApp } from '../../src/app';

/**
 * Checks a response against what the OpenAPI document declares for its path, method and
 * status, using the same zod schemas the document is generated from. An undeclared route
 * or status, an undeclared content type, or a body that does not match fails the test.
 */
const routes: RouteConfig[] = createApp()
  .openAPIRegistry.definitions.filter((d) => d.type === 'route')
  .map((d) => (d as { route: RouteConfig }).route);

// Served outside the route registry on purpose: the document itself and static files.
const UNDECLARED_OK = [/^\/openapi\.json$/, /^\/docs\/assets\//, /^\/docs\/init\.js$/];

const escapeRe = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
const toRegExp = (path: string) =>
  new RegExp(
    `^${path
      .split('/')
      .map((seg) => (/^\{[^}]+\}$/.test(seg) ? '[^/]+' : escapeRe(seg)))
      .join('/')}$`,
  );

const compiled = routes.map((r) => ({ route: r, re: toRegExp(r.path) }));

export function findRoute(method: string, pathname: string): RouteConfig | undefined {
  const m = method.toLowerCase();
  // Prefer the most specific (longest literal) path when several patterns match.
  return compiled
    .filter((c) => c.route.method === m && c.re.test(pathname))
    .sort(
      (a, b) =>
        b.route.path.replace(/\{[^}]+\}/g, '').length -
        a.route.path.replace(/\{[^}]+\}/g, '').length,
    )[0]?.route;
}

export function assertMatchesContract(method: string, url: string, res: Response, body: unknown) {
  const pathname = new URL(url, 'http://localhost').pathname;
  if (UNDECLARED_OK.some((re) => re.test(pathname))) return;
  // A preflight is answered by the CORS middleware for every route.
  if (method.toUpperCase() === 'OPTIONS') return;
  const route = findRoute(method, pathname);
  if (!route) {
    // Unknown routes must answer with the documented 404 problem.
    if (res.status === 404) return assertProblem(res, body);
    throw new Error(`No declared route for ${method} ${pathname} (answered ${res.status})`);
  }
  const declared = route.responses[res.status] ?? route.responses[String(res.status) as never];
  if (!declared) {
    throw new Error(
      `${method} ${route.path} answered ${res.status}, which the OpenAPI document does not declare (declared: ${Object.keys(route.responses).join(', ')})`,
    );
  }
  const content = 'content' in declared ? declared.content : undefined;
  if (!content || res.status === 204 || res.status === 304) {
    if (body !== undefined && body !== null && body !== '') {
      throw new Error(`${method} ${route.path} ${res.status} declares no body but sent one`);
    }
    return;
  }
  const contentType = (res.headers.get('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
  const media = content[contentType];
  if (!media) {
    throw new Error(
      `${method} ${route.path} ${res.status} sent ${contentType || 'no Content-Type'}, declared: ${Object.keys(content).join(', ')}`,
    );
  }
  const schema = (media as { schema?: unknown }).schema as {
    safeParse?: (v: unknown) => { success: boolean; error?: unknown };
  };
  if (
    schema &&
    typeof schema.safeParse === 'function' &&
    typeof body !== 'string' &&
    !(body instanceof ArrayBuffer)
  ) {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new Error(
        `${method} ${route.path} ${res.status} body does not match its schema: ${JSON.stringify(result.error)}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
      );
    }
  }
}

function assertProblem(res: Response, body: unknown) {
  const ct = res.headers.get('Content-Type') ?? '';
  if (!ct.startsWith('application/problem+json'))
    throw new Error(`404 without a problem body (${ct})`);
  const b = body as Record<string, unknown>;
  for (const key of ['type', 'title', 'status', 'detail', 'instance', 'request_id']) {
    if (!(key in b)) throw new Error(`problem body lacks ${key}`);
  }
}
