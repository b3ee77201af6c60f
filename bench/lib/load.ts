import autocannon from 'autocannon';
import type { BenchContext, Workload } from './workloads';

export interface LoadFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses outside 2xx, and transport errors/timeouts: any is a broken run. */
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

export interface UsageFigures {
  queries: number;
  statements: number;
  batches: number;
  rowsRead: number;
  rowsWritten: number;
  unbatchedWrites: number;
  samples: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

const REQUEST_TIMEOUT_SECONDS = 30;

/** autocannon against one row; each connection cycles through the row's requests. */
export async function runLoad(
  origin: string,
  workload: Workload,
  ctx: BenchContext,
  options: LoadOptions,
): Promise<LoadFigures> {
  let next = 0;
  const run = (duration: number) =>
    autocannon({
      url: origin,
      connections: options.connections,
      duration,
      timeout: REQUEST_TIMEOUT_SECONDS,
      requests: workload.requests(ctx, ctx.tokens[0]!),
      setupClient: (client) => {
        const token = ctx.tokens[next++ % ctx.tokens.length]!;
        client.setRequests(workload.requests(ctx, token));
      },
    });
  if (options.warmupSeconds > 0) {
    await run(options.warmupSeconds);
    // The Worker may still be working through the warm-up's last requests (a login hashes a
    // password on the isolate's one thread): start measuring once it answers again.
    await (await fetch(new URL('/health', origin))).arrayBuffer();
  }
  const r = await run(options.durationSeconds);
  return {
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(r.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
  };
}

const TIMING = /d1;desc="([^"]*)"/;

export function parseD1ServerTiming(header: string | null): Omit<UsageFigures, 'samples'> {
  const desc = header?.match(TIMING)?.[1];
  if (!desc) throw new Error(`no d1 Server-Timing (is BENCH_METRICS on?): ${header}`);
  const v = Object.fromEntries(
    desc.split(' ').map((pair) => {
      const [k, n] = pair.split('=');
      return [k, Number(n)];
    }),
  );
  return {
    queries: v.queries ?? 0,
    statements: v.statements ?? 0,
    batches: v.batches ?? 0,
    rowsRead: v.rows_read ?? 0,
    rowsWritten: v.rows_written ?? 0,
    unbatchedWrites: v.unbatched_writes ?? 0,
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/**
 * D1 usage per request: a few plain requests of the row, one at a time, each reporting its
 * own Server-Timing. For rows of several requests (like: PUT then DELETE), the mean per request
 * of each cycle; the median over cycles.
 */
export async function sampleUsage(
  origin: string,
  workload: Workload,
  ctx: BenchContext,
  cycles: number,
): Promise<UsageFigures> {
  const perCycle: Omit<UsageFigures, 'samples'>[] = [];
  const requests = workload.requests(ctx, ctx.tokens[0]!);
  for (let i = 0; i < cycles; i++) {
    const sum = {
      queries: 0,
      statements: 0,
      batches: 0,
      rowsRead: 0,
      rowsWritten: 0,
      unbatchedWrites: 0,
    };
    for (const r of requests) {
      const res = await fetch(new URL(r.path ?? '/', origin), {
        method: r.method ?? 'GET',
        headers: r.headers ?? {},
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      await res.arrayBuffer();
      if (res.status >= 300) {
        throw new Error(`${workload.id}: ${r.method} ${r.path} answered ${res.status}`);
      }
      const u = parseD1ServerTiming(res.headers.get('Server-Timing'));
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += u[key];
    }
    for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] /= requests.length;
    perCycle.push(sum);
  }
  const pick = (key: keyof Omit<UsageFigures, 'samples'>) => median(perCycle.map((u) => u[key]));
  return {
    queries: pick('queries'),
    statements: pick('statements'),
    batches: pick('batches'),
    rowsRead: pick('rowsRead'),
    rowsWritten: pick('rowsWritten'),
    unbatchedWrites: pick('unbatchedWrites'),
    samples: cycles * requests.length,
  };
}
