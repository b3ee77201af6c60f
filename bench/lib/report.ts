import type { LoadFigures, UsageFigures } from './load';
import type { StartupFigures } from './startup';
import type { RowKind } from './workloads';

export interface RowResult extends LoadFigures, UsageFigures {
  id: string;
  request: string;
  kind: RowKind;
  /** The REST row a GraphQL row is compared with. */
  comparesTo?: string;
}

export interface LoginFigures {
  sequentialRequests: number;
  loginMedianMs: number;
  hashMedianMs: number;
  overheadMs: number;
}

export interface BenchResult {
  generatedAt: string;
  scale: number;
  data: Record<string, number>;
  load: { connections: number; durationSeconds: number; warmupSeconds: number };
  /** Other work on the machine skews absolute figures; this says how busy it was. */
  machine: { cpus: number; loadAverageStart: number; loadAverageEnd: number };
  rows: RowResult[];
  startup: Record<'ublog' | 'minimal', StartupFigures>;
  login: LoginFigures;
  targets: Target[];
}

export interface Target {
  name: string;
  status: 'PASS' | 'FAIL' | 'N/A';
  detail: string;
}

// The targets of issue 7, and of issue 12 for the GraphQL rows.
const MAX_READ_STATEMENTS = 3;
const MAX_GRAPHQL_STATEMENTS = 5;
const MIN_GRAPHQL_VS_REST = 0.8;
const ROWS_READ_TOLERANCE = 0.1;
const MAX_GZIP_KIB = 400;
const MAX_STARTUP_RATIO = 2;
const MAX_LOGIN_OVERHEAD_MS = 5;

const status = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** A GraphQL row's req/s over its REST row's, when both ran. */
function versusRest(row: RowResult, rows: RowResult[]) {
  const rest = rows.find((r) => r.id === row.comparesTo);
  return rest ? { rest, ratio: row.reqPerSec / rest.reqPerSec } : undefined;
}

export function evaluateTargets(
  r: Omit<BenchResult, 'targets'>,
  other: BenchResult | undefined,
): Target[] {
  const reads = r.rows.filter((row) => row.kind === 'read');
  const restReads = reads.filter((row) => !row.comparesTo);
  const graphqlRows = reads.filter((row) => row.comparesTo);
  const writes = r.rows.filter((row) => row.kind === 'write');
  const targets: Target[] = [];

  const overStatements = restReads.filter((row) => row.statements > MAX_READ_STATEMENTS);
  targets.push({
    name: `read rows: at most ${MAX_READ_STATEMENTS} statements per request`,
    status: status(overStatements.length === 0),
    detail: restReads.map((row) => `${row.id} ${fmt(row.statements)}`).join(', '),
  });

  if (graphqlRows.length > 0) {
    const compared = graphqlRows.map((row) => ({ row, versus: versusRest(row, r.rows) }));
    targets.push({
      name: `GraphQL rows: at most ${MAX_GRAPHQL_STATEMENTS} statements per request`,
      status: status(graphqlRows.every((row) => row.statements <= MAX_GRAPHQL_STATEMENTS)),
      detail: graphqlRows.map((row) => `${row.id} ${fmt(row.statements)}`).join(', '),
    });
    targets.push({
      name: `GraphQL rows: at least ${MIN_GRAPHQL_VS_REST * 100}% of their REST row's req/s`,
      status: compared.every(({ versus }) => versus)
        ? status(compared.every(({ versus }) => versus!.ratio >= MIN_GRAPHQL_VS_REST))
        : 'N/A',
      detail: compared
        .map(({ row, versus }) =>
          versus
            ? `${row.id}/${versus.rest.id} ${versus.ratio.toFixed(2)}`
            : `${row.id}: ${row.comparesTo} not run`,
        )
        .join(', '),
    });
  }

  const badWrites = writes.filter((row) => row.batches !== 1 || row.unbatchedWrites > 0);
  targets.push({
    name: 'write rows: one batch per request, no write outside it',
    status: writes.length === 0 ? 'N/A' : status(badWrites.length === 0),
    detail: writes
      .map(
        (row) =>
          `${row.id} ${fmt(row.batches)} batch, ${fmt(row.unbatchedWrites)} unbatched writes`,
      )
      .join('; '),
  });

  if (!other || other.scale === r.scale) {
    targets.push({
      name: `read rows: rows read independent of data size (within ${ROWS_READ_TOLERANCE * 100}% across scales)`,
      status: 'N/A',
      detail: `needs a run at another scale: npm run bench -- --scale ${r.scale === 1 ? 16 : 1}`,
    });
  } else {
    const pairs = reads.map((row) => {
      const before = other.rows.find((o) => o.id === row.id)?.rowsRead ?? Number.NaN;
      const base = Math.max(before, 1);
      return {
        id: row.id,
        before,
        now: row.rowsRead,
        ok: Math.abs(row.rowsRead - before) / base <= ROWS_READ_TOLERANCE,
      };
    });
    targets.push({
      name: `read rows: rows read independent of data size (scale ${other.scale} vs ${r.scale}, within ${ROWS_READ_TOLERANCE * 100}%)`,
      status: status(pairs.every((p) => p.ok)),
      detail: pairs.map((p) => `${p.id} ${fmt(p.before)} -> ${fmt(p.now)}`).join(', '),
    });
  }

  const { ublog, minimal } = r.startup;
  targets.push({
    name: `bundle under ${MAX_GZIP_KIB} KiB gzip`,
    status: status(ublog.gzipKiB < MAX_GZIP_KIB),
    detail: `${fmt(ublog.gzipKiB)} KiB gzip (${fmt(ublog.bundleKiB)} KiB raw)`,
  });
  const ratio = ublog.activeMs / minimal.activeMs;
  targets.push({
    name: `startup CPU at most ${MAX_STARTUP_RATIO}x the minimal Hono Worker`,
    status: status(ratio <= MAX_STARTUP_RATIO),
    detail: `${fmt(ublog.activeMs)} ms vs ${fmt(minimal.activeMs)} ms = ${ratio.toFixed(2)}x (platform limit 1000 ms)`,
  });
  targets.push({
    name: `login: median minus one password hash under ${MAX_LOGIN_OVERHEAD_MS} ms`,
    status: status(r.login.overheadMs < MAX_LOGIN_OVERHEAD_MS),
    detail: `${fmt(r.login.loginMedianMs)} ms - ${fmt(r.login.hashMedianMs)} ms = ${fmt(r.login.overheadMs)} ms`,
  });
  const broken = r.rows.filter((row) => row.non2xx > 0 || row.errors > 0);
  targets.push({
    name: 'every load request answered 2xx',
    status: status(broken.length === 0),
    detail:
      broken.length === 0
        ? `${r.rows.reduce((n, row) => n + row.requests, 0)} requests`
        : broken
            .map((row) => `${row.id}: ${JSON.stringify(row.statusCodes)}, ${row.errors} errors`)
            .join('; '),
  });
  return targets;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** The rows in run order, each GraphQL row right after the REST row it is compared with. */
function besideTheirRestRows(rows: RowResult[]): RowResult[] {
  const placed = rows.filter((row) => !versusRest(row, rows));
  for (const row of rows.filter((candidate) => versusRest(candidate, rows))) {
    let at = placed.findIndex((p) => p.id === row.comparesTo) + 1;
    while (placed[at]?.comparesTo === row.comparesTo) at++;
    placed.splice(at, 0, row);
  }
  return placed;
}

export function renderReport(r: BenchResult): string {
  const head = [
    'row',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'stmts/req',
    'queries/req',
    'batches/req',
    'rows read/req',
    'rows written/req',
    'vs REST req/s',
  ];
  const lines = besideTheirRestRows(r.rows).map((row) => {
    const versus = versusRest(row, r.rows);
    return [
      row.id,
      row.reqPerSec.toFixed(0),
      fmt(row.p50Ms),
      fmt(row.p99Ms),
      String(row.non2xx + row.errors),
      fmt(row.statements),
      fmt(row.queries),
      fmt(row.batches),
      fmt(row.rowsRead),
      fmt(row.rowsWritten),
      versus ? `${versus.ratio.toFixed(2)} x ${versus.rest.id}` : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
  const data = Object.entries(r.data)
    .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
    .join(', ');
  const { ublog, minimal } = r.startup;
  return [
    '',
    `μblog bench: scale ${r.scale} (${data}); ${r.load.connections} connections, ${r.load.durationSeconds} s per row after ${r.load.warmupSeconds} s warm-up; loopback, local Worker (wrangler)`,
    `Machine: ${r.machine.cpus} CPUs, 1-minute load average ${r.machine.loadAverageStart.toFixed(1)} at start, ${r.machine.loadAverageEnd.toFixed(1)} at end (absolute times are noisy here; compare ratios).`,
    '',
    row(head),
    row(widths.map((w) => '-'.repeat(w))),
    ...lines.map(row),
    '',
    'D1 figures per request: medians of sequential sampled requests (Server-Timing with BENCH_METRICS). CPU time per request: not reported by the local runtime.',
    `Bundle (wrangler deploy --dry-run, via wrangler check startup): ublog ${fmt(ublog.bundleKiB)} KiB raw / ${fmt(ublog.gzipKiB)} KiB gzip; minimal Hono ${fmt(minimal.bundleKiB)} KiB / ${fmt(minimal.gzipKiB)} KiB`,
    `Startup CPU, module evaluation (median of ${ublog.runsMs.length} profiles at 0.1 ms sampling): ublog ${fmt(ublog.activeMs)} ms [${ublog.runsMs.join(', ')}], minimal Hono ${fmt(minimal.activeMs)} ms [${minimal.runsMs.join(', ')}]`,
    `  (wrangler check startup "Active", one run, coarser sampling: ublog ${fmt(ublog.checkStartupActiveMs)} ms, minimal Hono ${fmt(minimal.checkStartupActiveMs)} ms; CPU profiles in bench/results/)`,
    `Login (1 connection, ${r.login.sequentialRequests} requests): median ${fmt(r.login.loginMedianMs)} ms; one scrypt hash (hashPassword under Node): median ${fmt(r.login.hashMedianMs)} ms; overhead ${fmt(r.login.overheadMs)} ms`,
    '',
    'Targets:',
    ...r.targets.map((t) => `  ${pad(t.status, 4)}  ${t.name}: ${t.detail}`),
    '',
  ].join('\n');
}
