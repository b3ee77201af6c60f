import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../env';
import type { JobMessage, RequestLogEntry } from '../jobs/messages';
import { sha256Hex } from './digest';
import { newId } from './ids';
import { logError } from './log';

const MAX_ROUTE_LENGTH = 200;
const MAX_PATH_LENGTH = 2000;
const MAX_USER_AGENT_LENGTH = 512;
const MAX_COUNTRY_LENGTH = 8;
/** The route recorded when no route matched (the 404 for an unknown path). */
export const UNMATCHED_ROUTE = '(unmatched)';

// A client sends many requests: its address is hashed once per isolate, not once per request.
const MAX_REMEMBERED_IPS = 1000;
const ipHashes = new Map<string, string>();

/** SHA-256 of salt + address, hex: requests from one address group together, unreadably. */
export async function hashIp(salt: string, ip: string): Promise<string> {
  const remembered = rememberedIpHash(salt, ip);
  if (remembered !== undefined) return remembered;
  const hash = await sha256Hex(salt + ip);
  if (ipHashes.size >= MAX_REMEMBERED_IPS) ipHashes.clear();
  ipHashes.set(`${salt}\n${ip}`, hash);
  return hash;
}

const rememberedIpHash = (salt: string, ip: string) => ipHashes.get(`${salt}\n${ip}`);

/** The pattern of the route that answered (`/api/v1/posts/:id`), not the concrete path. */
function routePattern(c: Context): string {
  // Middleware is registered for every method ('ALL'); routes for one method.
  const route = matchedRoutes(c)
    .filter((r) => r.method !== 'ALL')
    .at(-1);
  return (route?.path ?? UNMATCHED_ROUTE).slice(0, MAX_ROUTE_LENGTH);
}

export interface RequestFacts {
  startedAt: number;
  durationMs: number;
}

/**
 * The log entry for a request that has been answered: at once when the address's hash is
 * remembered (or there is no address), else once it has been hashed.
 */
export function buildLogEntry(
  c: Context<AppEnv>,
  facts: RequestFacts,
): RequestLogEntry | Promise<RequestLogEntry> {
  const ip = c.req.header('CF-Connecting-IP')?.trim();
  const cf = c.req.raw.cf as { country?: unknown } | undefined;
  const auth = c.get('auth');
  const salt = c.get('config')?.IP_HASH_SALT ?? '';
  const entry: RequestLogEntry = {
    id: newId(facts.startedAt),
    created_at: facts.startedAt,
    method: c.req.method.slice(0, 10),
    route: routePattern(c),
    path: new URL(c.req.url).pathname.slice(0, MAX_PATH_LENGTH),
    status: c.res.status,
    duration_ms: Math.max(0, facts.durationMs),
    user_id: auth?.userId ?? null,
    username: auth?.username ?? null,
    request_id: c.get('requestId') ?? '',
    ip_hash: ip ? (rememberedIpHash(salt, ip) ?? null) : null,
    user_agent: c.req.header('User-Agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    country: typeof cf?.country === 'string' ? cf.country.slice(0, MAX_COUNTRY_LENGTH) : null,
  };
  if (!ip || entry.ip_hash !== null) return entry;
  return hashIp(salt, ip).then((ip_hash) => ({ ...entry, ip_hash }));
}

export const requestLogMessage = (entries: RequestLogEntry[]): JobMessage => ({
  type: 'request_log.batch',
  entries,
});

/** The request's execution context, or null where there is none. */
export function executionContext(c: Context): Pick<ExecutionContext, 'waitUntil'> | null {
  try {
    return c.executionCtx;
  } catch {
    return null; // app.request() in a unit test: no execution context, nothing to log to
  }
}

// An isolate's entries wait up to FLUSH_AFTER_MS and go to the queue as one message (at most
// MAX_BATCH_ENTRIES, far under the queue's 128 KB per message): a send per burst of requests,
// not one per request (a send was about a tenth of a read's throughput).
const FLUSH_AFTER_MS = 50;
const MAX_BATCH_ENTRIES = 100;
// A batch still open this long after it opened was never sent (its request's waitUntil was cut
// short): later entries start a new one rather than wait on it for ever.
const STALE_AFTER_MS = 5_000;

interface Batch {
  openedAt: number;
  entries: RequestLogEntry[];
}
let open: Batch | null = null;

/**
 * Adds the entry to the isolate's open batch, or opens one: the request that opens it sends it
 * from its own waitUntil (the send is that request's I/O; later requests only add data).
 */
function enqueue(
  jobs: Queue<JobMessage>,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  entry: RequestLogEntry,
) {
  if (
    open &&
    open.entries.length < MAX_BATCH_ENTRIES &&
    Date.now() - open.openedAt < STALE_AFTER_MS
  ) {
    open.entries.push(entry);
    return;
  }
  const batch: Batch = { openedAt: Date.now(), entries: [entry] };
  open = batch;
  ctx.waitUntil(
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, FLUSH_AFTER_MS));
      if (open === batch) open = null;
      try {
        await jobs.send(requestLogMessage(batch.entries));
      } catch (err) {
        const requestIds = batch.entries.map((sent) => sent.request_id).join(' ');
        logError({ msg: 'request logs not sent', request_ids: requestIds }, err);
      }
    })(),
  );
}

/**
 * Records every API request. The entry joins the isolate's open batch after the response is
 * ready; only a request that opens a batch, or whose address is new, waits on anything (in
 * waitUntil), and a failure to build or queue an entry is logged, never the response's.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const startedAt = Date.now();
  const started = performance.now();
  await next();
  const durationMs = performance.now() - started;
  const ctx = executionContext(c);
  const jobs = c.env?.JOBS;
  if (!ctx || !jobs) return;
  try {
    const entry = buildLogEntry(c, { startedAt, durationMs });
    if (!(entry instanceof Promise)) return enqueue(jobs, ctx, entry);
    ctx.waitUntil(
      entry.then((built) => enqueue(jobs, ctx, built)).catch((err) => logNotBuilt(c, err)),
    );
  } catch (err) {
    logNotBuilt(c, err);
  }
});

const logNotBuilt = (c: Context<AppEnv>, err: unknown) =>
  logError({ msg: 'request log not built', request_id: c.get('requestId') }, err);
