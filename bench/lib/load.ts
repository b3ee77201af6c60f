import autocannon from 'autocannon';
import { type D1Usage, newD1Usage } from '../../src/db/metrics';
import { parseD1ServerTiming } from './server-timing';
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

export interface UsageFigures extends D1Usage {
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
  const perCycle: D1Usage[] = [];
  const requests = workload.requests(ctx, ctx.tokens[0]!);
  for (let i = 0; i < cycles; i++) {
    const sum = newD1Usage();
    for (const r of requests) {
      const res = await fetch(new URL(r.path ?? '/', origin), {
        method: r.method ?? 'GET',
        headers: r.headers ?? {},
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      const body = await res.text();
      if (res.status >= 300) {
        throw new Error(`${workload.id}: ${r.method} ${r.path} answered ${res.status}`);
      }
      const problem = workload.problemIn?.(body);
      if (problem) throw new Error(`${workload.id}: ${r.method} ${r.path}: ${problem}`);
      const u = parseD1ServerTiming(res.headers.get('Server-Timing'));
      for (const key of Object.keys(sum) as (keyof D1Usage)[]) sum[key] += u[key];
    }
    for (const key of Object.keys(sum) as (keyof D1Usage)[]) sum[key] /= requests.length;
    perCycle.push(sum);
  }
  const medians = newD1Usage();
  for (const key of Object.keys(medians) as (keyof D1Usage)[]) {
    medians[key] = median(perCycle.map((u) => u[key]));
  }
  return { ...medians, samples: cycles * requests.length };
}
