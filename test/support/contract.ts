import type { RouteConfig } from '@hono/zod-openapi';
import { describeApi } from '../../src/app';

/**
 * Checks a response against what the OpenAPI document declares for its path, method and
 * status, using the same zod schemas the document is generated from. Fails on: an undeclared
 * route or status, an undeclared content type, a body that does not match its schema or that
 * carries fields the schema does not declare (a leak or a drift), a missing required header,
 * a problem body whose `status` is not the HTTP status, and a response without X-Request-Id.
 */
const routes: RouteConfig[] = (await describeApi()).openAPIRegistry.definitions
  .filter((d) => d.type === 'route')
  .map((d) => (d as { route: RouteConfig }).route);

// Served outside the route registry on purpose: the document itself and static files.
const UNDECLARED_OK = [
  /^\/openapi\.json$/,
  /^\/docs\/assets\//,
  /^\/docs\/init\.js$/,
  /^\/graphql\/assets\//,
  /^\/graphql\/init\.js$/,
];

const ADMIN_PREFIX = /^\/api\/v1\/admin\//;

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
  const where = `${method.toUpperCase()} ${pathname} ${res.status}`;
  if (!res.headers.get('X-Request-Id')) throw new Error(`${where}: no X-Request-Id header`);
  const route = findRoute(method, pathname);
  if (!route) {
    // Unknown routes must answer with the documented 404 problem; a known path with another
    // method with a 405 problem and its Allow header; under /admin the guard answers first
    // for anyone but an administrator.
    if (res.status === 404) return assertProblem(res, body);
    if (res.status === 405 && compiled.some((c) => c.re.test(pathname))) {
      if (!res.headers.get('Allow')) throw new Error(`${where}: 405 without an Allow header`);
      return assertProblem(res, body);
    }
    if (ADMIN_PREFIX.test(pathname) && (res.status === 401 || res.status === 403)) {
      return assertProblem(res, body);
    }
    throw new Error(`No declared route for ${method} ${pathname} (answered ${res.status})`);
  }
  const declared = route.responses[res.status] ?? route.responses[String(res.status) as never];
  if (!declared) {
    throw new Error(
      `${method} ${route.path} answered ${res.status}, which the OpenAPI document does not declare (declared: ${Object.keys(route.responses).join(', ')})`,
    );
  }
  assertRequiredHeaders(where, declared, res.headers);
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
  if (contentType === 'application/problem+json') assertProblem(res, body);
  const schema = (media as { schema?: unknown }).schema as {
    safeParse?: (v: unknown) => { success: boolean; data?: unknown; error?: unknown };
  };
  // Binary bodies (images) are checked by their tests; everything else against its schema.
  if (!schema || typeof schema.safeParse !== 'function' || body instanceof ArrayBuffer) return;
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `${method} ${route.path} ${res.status} body does not match its schema: ${JSON.stringify(result.error)}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
    );
  }
  const extra = undeclaredFields(body, result.data);
  if (extra.length > 0) {
    throw new Error(
      `${method} ${route.path} ${res.status} body has fields its schema does not declare: ${extra.join(', ')}`,
    );
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/**
 * JSON Pointers of the fields in `sent` that parsing dropped: zod objects strip unknown keys,
 * so whatever is in the body but not in the parsed value is not in the document.
 */
export function undeclaredFields(sent: unknown, parsed: unknown, at = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    return sent.flatMap((item, i) => undeclaredFields(item, parsed[i], `${at}/${i}`));
  }
  if (!isPlainObject(sent) || !isPlainObject(parsed)) return [];
  return Object.keys(sent).flatMap((key) =>
    key in parsed ? undeclaredFields(sent[key], parsed[key], `${at}/${key}`) : [`${at}/${key}`],
  );
}

function assertRequiredHeaders(where: string, declared: object, headers: Headers) {
  const declaredHeaders = (declared as { headers?: unknown }).headers;
  if (!declaredHeaders || typeof declaredHeaders !== 'object') return;
  const shape = (declaredHeaders as { shape?: Record<string, { isOptional?: () => boolean }> })
    .shape;
  const required = shape
    ? Object.entries(shape)
        .filter(([, s]) => !s.isOptional?.())
        .map(([name]) => name)
    : Object.entries(declaredHeaders as Record<string, { required?: boolean }>)
        .filter(([, h]) => h?.required === true)
        .map(([name]) => name);
  for (const name of required) {
    if (!headers.has(name)) throw new Error(`${where}: the required ${name} header is missing`);
  }
}

function assertProblem(res: Response, body: unknown) {
  const ct = res.headers.get('Content-Type') ?? '';
  if (!ct.startsWith('application/problem+json'))
    throw new Error(`${res.status} without a problem body (${ct})`);
  const b = body as Record<string, unknown>;
  for (const key of ['type', 'title', 'status', 'detail', 'instance', 'request_id']) {
    if (!(key in b)) throw new Error(`problem body lacks ${key}`);
  }
  if (b.status !== res.status) {
    throw new Error(`problem body says status ${b.status} but the response is ${res.status}`);
  }
}
