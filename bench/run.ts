/**
 * npm run bench [-- --scale N --duration S --connections C --rows id,id,... --quick]
 * BENCH.md: seeds the data set (cached per scale), starts the local Worker the way `wrangler
 * dev` does, loads each workload row with autocannon on loopback, samples D1 usage per
 * request, measures bundle size and startup CPU against a minimal Hono Worker, and the login
 * overhead over one password hash. Prints one report; writes bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withLocalBindings } from '../scripts/lib/local';
import { hashPassword } from '../src/lib/passwords';
import { FLOOR_FEATURES, profileColdStarts } from './lib/cold-start';
import { median, runLoad, sampleUsage } from './lib/load';
import { type LocalWorker, ROOT, startLocalWorker } from './lib/local-worker';
import { type BenchResult, evaluateTargets, type RowResult, renderReport } from './lib/report';
import { measureStartup, wrangler } from './lib/startup';
import { type BenchContext, type Server, WORKLOADS, type Workload } from './lib/workloads';

const DEMO_PASSWORD = 'ublog-demo-password';
const RESULTS = join(ROOT, 'bench', 'results');
const FLOOR_DIR = join(ROOT, 'bench', 'fixtures', 'floor-worker');
const STACK_DIR = join(ROOT, 'bench', 'fixtures', 'stack-worker');
const USAGE_CYCLES = 5;
const LOGIN_SEQUENTIAL = 25;
const LOGIN_WARMUP = 3;
const STARTUP_RUNS = 7;
const COLD_START_RUNS = 3;
const INTERLEAVE_ROUNDS = 4;
const INTERLEAVE_SECONDS = 3;
// The limiters protect production from abuse; here they would only measure themselves.
const UNLIMITED = { simple: { limit: 1_000_000_000, period: 60 } };

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    // Only these workload rows (e.g. list_anon,gql_list); login and startup are measured anyway.
    rows: { type: 'string' },
    // The load rows only: no sequential login series, no bundle and startup measurement.
    quick: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const load = {
  connections: Number(values.connections),
  durationSeconds: Number(values.duration),
  warmupSeconds: Number(values.warmup),
};
if (![scale, load.connections, load.durationSeconds].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--scale, --duration and --connections must be positive whole numbers');
  process.exit(2);
}
const rowIds = values.rows?.split(',').map((id) => id.trim());
const unknownRows = rowIds?.filter((id) => !WORKLOADS.some((w) => w.id === id)) ?? [];
if (unknownRows.length > 0) {
  console.error(
    `--rows: unknown ${unknownRows.join(', ')} (rows: ${WORKLOADS.map((w) => w.id).join(', ')})`,
  );
  process.exit(2);
}
const workloads = rowIds ? WORKLOADS.filter((w) => rowIds.includes(w.id)) : WORKLOADS;

const step = (what: string) => console.log(`\n== ${what}`);
const started = performance.now();
const loadAverageStart = loadavg()[0]!;
mkdirSync(RESULTS, { recursive: true });

step(`Seeding scale ${scale} (once per scale, cached in .wrangler/bench-scale-${scale})`);
const seedDir = join(ROOT, '.wrangler', `bench-scale-${scale}`);
const seeded = spawnSync(
  'tsx',
  // No demo thumbnails: no workload reads them, and making them would slow the first seed.
  [
    join(ROOT, 'scripts', 'seed.ts'),
    ...['--scale', String(scale), '--persist-to', seedDir, '--thumbnails', 'false'],
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
if (seeded.status !== 0) throw new Error(`seeding failed (exit ${seeded.status})`);
// Each run starts from the seeded state: the write rows add posts and likes.
const runDir = join(ROOT, '.wrangler', 'bench-run');
rmSync(runDir, { recursive: true, force: true });
cpSync(seedDir, runDir, { recursive: true });
// The fixtures get copies of their own: two Workers on one SQLite file (while ours and a
// fixture take turns) fail reads with SQLITE_BUSY, and those fast 500s would count as answers.
const fixtureDir = (name: string) => {
  const dir = join(ROOT, '.wrangler', `bench-run-${name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(seedDir, dir, { recursive: true });
  return dir;
};

const found = await withLocalBindings(runDir, async (env) => {
  const one = <T>(sql: string) => env.DB.prepare(sql).first<T>();
  const count = async (table: string) =>
    (await one<{ n: number }>(`select count(*) as n from ${table}`))?.n ?? 0;
  const users = await env.DB.prepare(
    "select username from users where username like 'user%' order by username limit ?",
  )
    .bind(load.connections)
    .all<{ username: string }>();
  return {
    data: {
      users: await count('users'),
      posts: await count('posts'),
      likes: await count('likes'),
      statuses: await count('statuses'),
    },
    popularPostId: (await one<{ id: string }>(
      'select id from posts order by like_count desc, id limit 1',
    ))!.id,
    usernames: users.results.map((u) => u.username),
  };
});

const limiters = {
  AUTH_LIMITER: { type: 'ratelimit', namespace_id: '1001', ...UNLIMITED },
  WRITE_LIMITER: { type: 'ratelimit', namespace_id: '1002', ...UNLIMITED },
};
// The uncached rows measure our code, so their Worker runs with the edge cache off; the
// cached rows get a second start with the default setting; the stack and floor rows their fixtures.
const SERVERS: Record<Server, { what: string; start: () => Promise<LocalWorker> }> = {
  ublog: {
    what: 'μblog, edge cache off',
    start: () =>
      startLocalWorker({
        persistTo: runDir,
        vars: { BENCH_METRICS: 'true', EDGE_CACHE_SECONDS: '0' },
        bindings: limiters,
      }),
  },
  ublog_cached: {
    what: 'μblog, edge cache on (default EDGE_CACHE_SECONDS)',
    start: () =>
      startLocalWorker({ persistTo: runDir, vars: { BENCH_METRICS: 'true' }, bindings: limiters }),
  },
  stack: {
    what: 'the stack fixture (bench/fixtures/stack-worker)',
    start: () =>
      startLocalWorker({
        persistTo: fixtureDir('stack'),
        vars: { BENCH_METRICS: 'true' },
        config: join(STACK_DIR, 'wrangler.toml'),
      }),
  },
  floor: {
    what: 'the floor fixture (bench/fixtures/floor-worker)',
    start: () =>
      startLocalWorker({
        persistTo: fixtureDir('floor'),
        vars: { BENCH_METRICS: 'true' },
        config: join(FLOOR_DIR, 'wrangler.toml'),
      }),
  },
};

step(`Starting the Worker: ${SERVERS.ublog.what} (wrangler, local D1/R2, BENCH_METRICS on)`);
const worker = await SERVERS.ublog.start();
const origin = worker.url.origin;
console.log(`Worker at ${origin}`);

const post = (path: string, body: unknown) =>
  fetch(new URL(path, origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function login(username: string) {
  const res = await post('/api/v1/auth/login', { username, password: DEMO_PASSWORD });
  if (res.status !== 200)
    throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const rows: RowResult[] = [];

async function measureRows(at: string, selected: Workload[], ctx: BenchContext) {
  for (const w of selected) {
    step(`${w.id}: ${w.request} (${w.who})`);
    // Sampled first: it also checks the row's answers before loading it.
    const usage = await sampleUsage(at, w, ctx, USAGE_CYCLES);
    const figures = await runLoad(at, w, ctx, load);
    rows.push({
      id: w.id,
      request: w.request,
      kind: w.kind,
      ...(w.comparesTo ? { comparesTo: w.comparesTo } : {}),
      ...(w.floor ? { floor: w.floor } : {}),
      ...figures,
      ...usage,
    });
    console.log(
      `${figures.reqPerSec.toFixed(0)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${usage.statements} statements, ${usage.rowsRead} rows read`,
    );
  }
}

const onServer = (server: Server) => workloads.filter((w) => (w.server ?? 'ublog') === server);

/**
 * ours / floor, measured fairly: each row of `server` that has a floor row and its floor row
 * take turns (short loads, both Workers up, the order alternating each round), so that
 * whatever else the machine does during the run weighs on both sides alike. The rows' own
 * figures above come from one load each, minutes apart.
 */
async function interleaveWithFloor(server: Server, ourOrigin: string, ctx: BenchContext) {
  const pairs = onServer(server).flatMap((w) => {
    const floor = workloads.find((candidate) => candidate.id === w.floor);
    return floor ? [{ ours: w, floor }] : [];
  });
  if (pairs.length === 0) return;
  step(
    `ours / floor, interleaved: ${pairs.map((p) => `${p.ours.id}/${p.floor.id}`).join(', ')} (${INTERLEAVE_ROUNDS} rounds of ${INTERLEAVE_SECONDS} s each)`,
  );
  const floorWorker = await SERVERS.floor.start();
  const turn = { ...load, durationSeconds: INTERLEAVE_SECONDS, warmupSeconds: 0 };
  try {
    const floorOrigin = floorWorker.url.origin;
    // Warm both (first requests compile code): not counted.
    for (const { ours, floor } of pairs) {
      await runLoad(ourOrigin, ours, ctx, { ...turn, durationSeconds: 1 });
      await runLoad(floorOrigin, floor, ctx, { ...turn, durationSeconds: 1 });
    }
    for (const { ours, floor } of pairs) {
      let oursTotal = 0;
      let floorTotal = 0;
      let failed = 0;
      const measured = async (at: string, w: Workload) => {
        const figures = await runLoad(at, w, ctx, turn);
        failed += figures.non2xx + figures.errors;
        return figures.requests;
      };
      for (let round = 0; round < INTERLEAVE_ROUNDS; round++) {
        const sides = [
          async () => {
            oursTotal += await measured(ourOrigin, ours);
          },
          async () => {
            floorTotal += await measured(floorOrigin, floor);
          },
        ];
        if (round % 2 === 1) sides.reverse();
        for (const side of sides) await side();
      }
      const seconds = INTERLEAVE_ROUNDS * INTERLEAVE_SECONDS;
      const row = rows.find((r) => r.id === ours.id);
      if (row) {
        row.interleaved = {
          rounds: INTERLEAVE_ROUNDS,
          secondsEach: INTERLEAVE_SECONDS,
          reqPerSec: oursTotal / seconds,
          floorReqPerSec: floorTotal / seconds,
          failed,
        };
      }
      console.log(
        `${ours.id} ${(oursTotal / seconds).toFixed(0)} req/s, ${floor.id} ${(floorTotal / seconds).toFixed(0)} req/s: ${(oursTotal / floorTotal).toFixed(2)}`,
      );
    }
  } finally {
    await floorWorker.dispose();
  }
}

let login_: BenchResult['login'];
let ctx: BenchContext | undefined;
try {
  const tokens: string[] = [];
  for (const username of found.usernames) tokens.push(await login(username));
  let page5Path = '/api/v1/posts?limit=20';
  for (let page = 1; page < 5; page++) {
    const res = await fetch(new URL(page5Path, origin));
    const { next_cursor } = (await res.json()) as { next_cursor: string | null };
    if (!next_cursor) throw new Error(`GET /posts has no page ${page + 1}`);
    page5Path = `/api/v1/posts?limit=20&cursor=${encodeURIComponent(next_cursor)}`;
  }
  ctx = {
    tokens,
    popularPostId: found.popularPostId,
    page5Path,
    profileUsername: 'alice',
    login: { username: 'bob', password: DEMO_PASSWORD },
  };

  await measureRows(origin, onServer('ublog'), ctx);
  await interleaveWithFloor('ublog', origin, ctx);

  if (!values.quick) {
    step(
      `Login one request at a time, and one password hash under Node (${LOGIN_SEQUENTIAL} each)`,
    );
    for (let i = 0; i < LOGIN_WARMUP; i++) await login('bob');
    // Interleaved, so that both series see the same noise from the rest of the machine.
    const loginMs: number[] = [];
    const hashMs: number[] = [];
    for (let i = 0; i < LOGIN_SEQUENTIAL; i++) {
      let t0 = performance.now();
      await login('bob');
      loginMs.push(performance.now() - t0);
      t0 = performance.now();
      await hashPassword(DEMO_PASSWORD);
      hashMs.push(performance.now() - t0);
    }
    login_ = {
      sequentialRequests: LOGIN_SEQUENTIAL,
      loginMedianMs: median(loginMs),
      hashMedianMs: median(hashMs),
      overheadMs: median(loginMs) - median(hashMs),
    };
  }
} finally {
  await worker.dispose();
}

for (const server of ['ublog_cached', 'stack', 'floor'] as const) {
  const selected = onServer(server);
  if (selected.length === 0 || !ctx) continue;
  step(`Starting ${SERVERS[server].what}`);
  const other = await SERVERS[server].start();
  try {
    await measureRows(other.url.origin, selected, ctx);
    if (server === 'stack') await interleaveWithFloor(server, other.url.origin, ctx);
  } finally {
    await other.dispose();
  }
}

let startup: BenchResult['startup'];
let coldStart: BenchResult['coldStart'];
let floorColdStart: BenchResult['floorColdStart'];
let stackColdStart: BenchResult['stackColdStart'];

/** A fixture's cold start in the same harness as ours: its startup and its first requests. */
async function fixtureColdStart(dir: string, name: string) {
  const bundle = join(RESULTS, `${name}-bundle`);
  rmSync(bundle, { recursive: true, force: true });
  wrangler(dir, ['deploy', '--dry-run', '--outdir', bundle]);
  return profileColdStarts({
    bundleDir: bundle,
    seeded: seedDir,
    runs: COLD_START_RUNS,
    top: 5,
    features: FLOOR_FEATURES,
  });
}
if (!values.quick) {
  step(`Bundle and startup CPU (wrangler check startup, then ${STARTUP_RUNS} finer profiles each)`);
  startup = (await measureStartup(
    [
      { name: 'ublog', cwd: ROOT },
      { name: 'minimal', cwd: join(ROOT, 'bench', 'fixtures', 'minimal-worker') },
    ],
    RESULTS,
    STARTUP_RUNS,
  )) as BenchResult['startup'];
  step(
    `Cold starts: top startup costs, and each feature's first request (${COLD_START_RUNS} isolates each)`,
  );
  coldStart = await profileColdStarts({
    bundleDir: join(RESULTS, 'ublog-bundle'),
    seeded: seedDir,
    runs: COLD_START_RUNS,
    top: 10,
  });
  step('Cold starts of the stack and floor Workers: startup and first requests, same harness');
  stackColdStart = await fixtureColdStart(STACK_DIR, 'stack');
  floorColdStart = await fixtureColdStart(FLOOR_DIR, 'floor');
}

const partial = {
  generatedAt: new Date().toISOString(),
  scale,
  data: found.data,
  load,
  machine: { cpus: availableParallelism(), loadAverageStart, loadAverageEnd: loadavg()[0]! },
  rows,
  startup,
  coldStart,
  floorColdStart,
  stackColdStart,
  login: login_,
};
const otherScaleFile = join(RESULTS, `scale-${scale === 1 ? 16 : 1}.json`);
const other = existsSync(otherScaleFile)
  ? (JSON.parse(readFileSync(otherScaleFile, 'utf8')) as BenchResult)
  : undefined;
const result: BenchResult = { ...partial, targets: evaluateTargets(partial, other) };
writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(RESULTS, `scale-${scale}.json`), `${JSON.stringify(result, null, 2)}\n`);
console.log(renderReport(result));
console.log(
  `Figures in bench/results/latest.json (and scale-${scale}.json); ${((performance.now() - started) / 1000).toFixed(0)} s in all.`,
);
