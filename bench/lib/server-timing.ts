import type { D1Usage } from '../../src/db/metrics';

/** The inverse of d1ServerTiming, for the benchmark that reads the header back. */
export function parseD1ServerTiming(header: string | null): D1Usage {
  const desc = header?.match(/d1;desc="([^"]*)"/)?.[1];
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
