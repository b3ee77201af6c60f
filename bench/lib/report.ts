import { type ColdStartFigures, coldStartLines } from './cold-start';
import type { LoadFigures, UsageFigures } from './load';
import type { StartupFigures } from './startup';
import type { RowKind } from './workloads';

export interface RowResult extends LoadFigures, UsageFigures {
  id: string;
  request: string;
  kind: RowKind;
  /** The REST row a GraphQL row is compared with. */
  comparesTo?: string;
  /** The floor row that answers the same request bare (ours / floor). */
  floor?: string;
  /**
   * ours / floor from short loads of this row and its floor row taking turns, with both
   * Workers up, so that the machine's drift during a run falls on both alike.
   */
  interleaved?: {
    rounds: number;
    secondsEach: number;
    reqPerSec: number;
    floorReqPerSec: number;
    /** Answers outside 2xx, and errors, on either side: any makes the ratio meaningless. */
    failed: number;
  };
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
  /** Absent in a --quick run. */
  startup?: Record<'ublog' | 'minimal', StartupFigures>;
  /** Absent in a --quick run: startup's top costs and each feature's first request. */
  coldStart?: ColdStartFigures;
  /** The floor Worker's cold start in the same harness: what the platform itself costs. */
  floorColdStart?: ColdStartFigures;
  /** The stack Worker's: what the fixed libraries (OpenAPIHono, zod, drizzle) add to it. */
  stackColdStart?: ColdStartFigures;
  login?: LoginFigures;
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
const MAX_LOGIN_OVERHEAD_MS = 5;
// Issue 13: our req/s at least this share of the floor Worker's for the same request; the
// bundle, startup CPU (fine-sampled median) and each feature's first request after it.
const MIN_FLOOR_RATIO = 0.8;
const MAX_GZIP_KIB = 250;
const MAX_STARTUP_MS = 15;
const MAX_FIRST_REQUEST_MS = 10;
const CACHED_ROW = /_cached$/;
// The stack fixture's rows: a yardstick beside ours, not held to our targets.
const STACK_ROW = /^stack_/;

const status = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** `ours / floor`: a row's req/s over its floor row's, when both ran. */
export function versusFloor(row: RowResult, rows: RowResult[]) {
  const floor = rows.find((r) => r.id === row.floor);
  if (!floor) return undefined;
  const { interleaved } = row;
  return {
    floor,
    ratio: interleaved
      ? interleaved.reqPerSec / interleaved.floorReqPerSec
      : row.reqPerSec / floor.reqPerSec,
  };
}

/** A GraphQL row's req/s over its REST row's, when both ran. */
function versusRest(row: RowResult, rows: RowResult[]) {
  const rest = rows.find((r) => r.id === row.comparesTo);
  return rest ? { rest, ratio: row.reqPerSec / rest.reqPerSec } : undefined;
}

type Compared = { row: RowResult; other: string; versus?: { id: string; ratio: number } };

/** `row/other 0.64, …`, or which other row did not run. */
const ratioDetail = (compared: Compared[]) =>
  compared
    .map(({ row, other, versus }) =>
      versus ? `${row.id}/${versus.id} ${versus.ratio.toFixed(2)}` : `${row.id}: ${other} not run`,
    )
    .join(', ');

/** Each row's req/s over another row's must reach `min`; N/A while one of them did not run. */
function ratioTarget(name: string, min: number, compared: Compared[]): Target {
  return {
    name,
    status: compared.every(({ versus }) => versus)
      ? status(compared.every(({ versus }) => versus!.ratio >= min))
      : 'N/A',
    detail: ratioDetail(compared),
  };
}

export function evaluateTargets(
  r: Omit<BenchResult, 'targets'>,
  other: BenchResult | undefined,
): Target[] {
  const reads = r.rows.filter((row) => row.kind === 'read');
  const restReads = reads.filter((row) => !row.comparesTo && !CACHED_ROW.test(row.id));
  const cachedRows = reads.filter((row) => CACHED_ROW.test(row.id));
  const graphqlRows = reads.filter((row) => row.comparesTo);
  const writes = r.rows.filter((row) => row.kind === 'write');
  const targets: Target[] = [];

  const overStatements = restReads.filter((row) => row.statements > MAX_READ_STATEMENTS);
  targets.push({
    name: `read rows: at most ${MAX_READ_STATEMENTS} statements per request`,
    status: status(overStatements.length === 0),
    detail: restReads.map((row) => `${row.id} ${fmt(row.statements)}`).join(', '),
  });

  const compared = (row: RowResult): Compared => {
    const versus = versusFloor(row, r.rows);
    return { row, other: row.floor!, versus: versus && { id: versus.floor.id, ...versus } };
  };
  const withFloor = r.rows.filter((row) => row.floor && !STACK_ROW.test(row.id));
  if (withFloor.length > 0) {
    const target = ratioTarget(
      `ours / floor: at least ${MIN_FLOOR_RATIO} of the bare Worker's req/s`,
      MIN_FLOOR_RATIO,
      withFloor.map(compared),
    );
    const stack = r.rows.filter((row) => row.floor && STACK_ROW.test(row.id)).map(compared);
    if (stack.length > 0) {
      target.detail += `; the stack Worker's own: ${ratioDetail(stack)}`;
    }
    targets.push(target);
  }

  if (cachedRows.length > 0) {
    targets.push({
      name: 'cached rows: no D1 statement on an edge-cache hit',
      status: status(cachedRows.every((row) => row.statements === 0)),
      detail: cachedRows.map((row) => `${row.id} ${fmt(row.statements)}`).join(', '),
    });
  }

  if (graphqlRows.length > 0) {
    targets.push({
      name: `GraphQL rows: at most ${MAX_GRAPHQL_STATEMENTS} statements per request`,
      status: status(graphqlRows.every((row) => row.statements <= MAX_GRAPHQL_STATEMENTS)),
      detail: graphqlRows.map((row) => `${row.id} ${fmt(row.statements)}`).join(', '),
    });
    targets.push(
      ratioTarget(
        `GraphQL rows: at least ${MIN_GRAPHQL_VS_REST * 100}% of their REST row's req/s`,
        MIN_GRAPHQL_VS_REST,
        graphqlRows.map((row) => {
          const versus = versusRest(row, r.rows);
          return {
            row,
            other: row.comparesTo!,
            versus: versus && { id: versus.rest.id, ...versus },
          };
        }),
      ),
    );
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

  if (r.startup) {
    const { ublog, minimal } = r.startup;
    targets.push({
      name: `bundle at most ${MAX_GZIP_KIB} KiB gzip, GraphQL included`,
      status: status(ublog.gzipKiB <= MAX_GZIP_KIB),
      detail: `${fmt(ublog.gzipKiB)} KiB gzip (${fmt(ublog.bundleKiB)} KiB raw)`,
    });
    const ratio = ublog.activeMs / minimal.activeMs;
    targets.push({
      name: `startup CPU at most ${MAX_STARTUP_MS} ms`,
      status: status(ublog.activeMs <= MAX_STARTUP_MS),
      detail: [
        `${fmt(ublog.activeMs)} ms; the minimal Hono Worker ${fmt(minimal.activeMs)} ms in the same run (${ratio.toFixed(1)}x; platform limit 1000 ms)`,
        ...(r.stackColdStart ? [`the stack Worker's ${fmt(r.stackColdStart.startupMs)} ms`] : []),
      ].join('; '),
    });
  }
  if (r.coldStart) {
    const firsts = Object.entries(r.coldStart.firstRequests);
    const over = firsts.filter(([, f]) => f.firstMs > MAX_FIRST_REQUEST_MS);
    targets.push({
      name: `first request to each feature after a cold start at most ${MAX_FIRST_REQUEST_MS} ms`,
      status: status(firsts.length > 0 && over.length === 0),
      detail: [
        over.length === 0
          ? `all ${firsts.length} within`
          : `over: ${over.map(([name, f]) => `${name} ${fmt(f.firstMs)} ms`).join(', ')}`,
        ...(r.stackColdStart
          ? [`the stack Worker's own: ${firstRequestsText(r.stackColdStart)}`]
          : []),
        ...(r.floorColdStart
          ? [`the floor Worker's own: ${firstRequestsText(r.floorColdStart)}`]
          : []),
      ].join('; '),
    });
  }
  if (r.login) {
    targets.push({
      name: `login: median minus one password hash under ${MAX_LOGIN_OVERHEAD_MS} ms`,
      status: status(r.login.overheadMs < MAX_LOGIN_OVERHEAD_MS),
      detail: `${fmt(r.login.loginMedianMs)} ms - ${fmt(r.login.hashMedianMs)} ms = ${fmt(r.login.overheadMs)} ms`,
    });
  }
  const broken = r.rows.filter(
    (row) => row.non2xx > 0 || row.errors > 0 || (row.interleaved?.failed ?? 0) > 0,
  );
  targets.push({
    name: 'every load request answered 2xx',
    status: status(broken.length === 0),
    detail:
      broken.length === 0
        ? `${r.rows.reduce((n, row) => n + row.requests, 0)} requests`
        : broken
            .map(
              (row) =>
                `${row.id}: ${JSON.stringify(row.statusCodes)}, ${row.errors} errors, ${row.interleaved?.failed ?? 0} failed in turns with its floor`,
            )
            .join('; '),
  });
  return targets;
}

const firstRequestsText = (figures: ColdStartFigures) =>
  Object.entries(figures.firstRequests)
    .map(([name, f]) => `${name} ${fmt(f.firstMs)} ms`)
    .join(', ');

/**
 * A fixture's cold start, beside ours: the floor is what any Worker doing the same query pays,
 * the stack what the fixed libraries add to that.
 */
function fixtureColdStartLines(name: string, figures: ColdStartFigures | undefined): string[] {
  if (!figures) return [];
  return [
    `${name[0]!.toUpperCase()}${name.slice(1)} Worker cold start (bench/fixtures/${name}-worker, same harness): bundle ${fmt(figures.gzipKiB)} KiB gzip; startup ${fmt(figures.startupMs)} ms; first request ${firstRequestsText(figures)} (warm ${Object.values(
      figures.firstRequests,
    )
      .map((f) => `${fmt(f.warmMs)} ms`)
      .join(', ')})`,
  ];
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

function floorText(row: RowResult, rows: RowResult[]) {
  const versus = versusFloor(row, rows);
  if (!versus) return '';
  const how = row.interleaved ? `, ${row.interleaved.rounds} turns` : '';
  return `${versus.ratio.toFixed(2)} (${versus.floor.id}${how})`;
}

function startupLines(startup: BenchResult['startup']): string[] {
  if (!startup) return ['Bundle and startup: not measured (--quick).'];
  const { ublog, minimal } = startup;
  return [
    `Bundle (wrangler deploy --dry-run, via wrangler check startup): ublog ${fmt(ublog.bundleKiB)} KiB raw / ${fmt(ublog.gzipKiB)} KiB gzip; minimal Hono ${fmt(minimal.bundleKiB)} KiB / ${fmt(minimal.gzipKiB)} KiB`,
    `Startup CPU, module evaluation (median of ${ublog.runsMs.length} profiles at 0.1 ms sampling): ublog ${fmt(ublog.activeMs)} ms [${ublog.runsMs.join(', ')}], minimal Hono ${fmt(minimal.activeMs)} ms [${minimal.runsMs.join(', ')}]`,
    `  (wrangler check startup "Active", one run, coarser sampling: ublog ${fmt(ublog.checkStartupActiveMs)} ms, minimal Hono ${fmt(minimal.checkStartupActiveMs)} ms; CPU profiles in bench/results/)`,
  ];
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
    'ours / floor',
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
      floorText(row, r.rows),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
  const data = Object.entries(r.data)
    .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
    .join(', ');
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
    ...startupLines(r.startup),
    ...(r.coldStart ? coldStartLines(r.coldStart) : []),
    ...fixtureColdStartLines('stack', r.stackColdStart),
    ...fixtureColdStartLines('floor', r.floorColdStart),
    r.login
      ? `Login (1 connection, ${r.login.sequentialRequests} requests): median ${fmt(r.login.loginMedianMs)} ms; one scrypt hash (hashPassword under Node): median ${fmt(r.login.hashMedianMs)} ms; overhead ${fmt(r.login.overheadMs)} ms`
      : 'Login series: not measured (--quick).',
    '',
    'Targets:',
    ...r.targets.map((t) => `  ${pad(t.status, 4)}  ${t.name}: ${t.detail}`),
    '',
  ].join('\n');
}
