/**
 * npx tsx bench/profile-startup.ts [-- --runs N --label NAME --bundle DIR --json]
 * Where a cold start's CPU goes, and what the first request to each feature costs on top:
 * - builds the bundle as `wrangler deploy --dry-run` does (or profiles the one in --bundle);
 * - startup: N fresh isolates evaluate it under the CPU profiler (100 µs sampling); prints the
 *   median active CPU and the top 10 self-time costs by source (file, or package), through the
 *   bundle's source map;
 * - first request: for each feature, N fresh isolates evaluate the bundle unprofiled, then the
 *   profiler records the first request to that feature (against the bench's seeded scale-1
 *   data), and a second, warm one for comparison.
 * Writes bench/results/startup-<label>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { SourceMapConsumer } from 'source-map-js';
import { unstable_readConfig } from 'wrangler';
import { devtoolsSession } from './lib/devtools';
import { median } from './lib/load';
import { ROOT } from './lib/local-worker';

const SAMPLING_INTERVAL_US = 100;
const TOP = Number(process.env.TOP ?? 10);

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    label: { type: 'string', default: 'latest' },
    bundle: { type: 'string' },
    features: { type: 'string' },
  },
});
const runs = Number(values.runs);
const results = join(ROOT, 'bench', 'results');
mkdirSync(results, { recursive: true });

const seeded = join(ROOT, '.wrangler', 'bench-scale-1');
if (!existsSync(seeded)) throw new Error('Run `npm run bench -- --quick --rows post_get` first');

/** The first request of each feature, as a client would send it. */
const FEATURES: { name: string; path: string; init?: RequestInit }[] = [
  { name: 'health', path: '/health' },
  { name: 'posts list', path: '/api/v1/posts?limit=20' },
  { name: 'post', path: '/api/v1/posts/{postId}' },
  { name: 'likes', path: '/api/v1/posts/{postId}/likes' },
  { name: 'profile', path: '/api/v1/profiles/alice' },
  { name: 'statuses', path: '/api/v1/statuses' },
  { name: 'users', path: '/api/v1/users/me' },
  { name: 'auth', path: '/api/v1/auth/refresh', init: { method: 'POST' } },
  { name: 'images', path: '/api/v1/images/0000000000000000.webp' },
  { name: 'admin', path: '/api/v1/admin/users' },
  {
    name: 'graphql',
    path: '/graphql',
    init: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ posts(first: 20) { nodes { id title } } }' }),
    },
  },
  { name: 'openapi.json', path: '/openapi.json' },
  { name: 'docs', path: '/docs' },
];

function build(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  const r = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}${r.stderr}`);
}

const bundleDir = values.bundle ?? join(results, `ublog-bundle-${values.label}`);
if (!values.bundle) build(bundleDir);
const bundle = readFileSync(join(bundleDir, 'index.js'));
const gzipKiB = (gzipSync(bundle).length / 1024).toFixed(1);

const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
const mapPath = join(bundleDir, 'index.js.map');
const sourceMap = existsSync(mapPath)
  ? new SourceMapConsumer(JSON.parse(readFileSync(mapPath, 'utf8')))
  : null;

// The harness evaluates the bundle on /__load; any other path is handed to the Worker.
const HARNESS = `
let worker;
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__load') {
      worker = (await import('./index.js')).default;
      return new Response('loaded');
    }
    return worker.fetch(request, env, ctx);
  },
};`;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; positionTicks?: { line: number; ticks: number }[] }[];
  samples: number[];
  timeDeltas: number[];
}

function sourceOf(frame: CallFrame) {
  if (!frame.url) return `(${frame.functionName || 'native'})`;
  if (!frame.url.endsWith('index.js') || frame.lineNumber < 0)
    return `${frame.url} ${frame.functionName} ${frame.lineNumber}`;
  const pos = sourceMap?.originalPositionFor({
    line: frame.lineNumber + 1,
    column: frame.columnNumber,
  });
  const source =
    pos?.source ?? `${frame.url} ${frame.functionName} ${frame.lineNumber}:${frame.columnNumber}`;
  if (source.includes('node_modules/')) {
    const after = source.replace(/^.*node_modules\//, '');
    const parts = after.split('/');
    const pkg = after.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    // zod's and hono's folders say which part of the package is paying.
    const sub = parts.slice(pkg?.startsWith('@') ? 2 : 1, -1).join('/');
    return `${pkg}${sub ? `/${sub}` : ''}`;
  }
  return source.replace(/^(\.\.\/)+/, '').replace(`${ROOT}/`, '');
}

function attribute(profile: CpuProfile, into: Map<string, number>) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  let active = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    const us = profile.timeDeltas[i] ?? 0;
    active += us;
    // A bundle's top level is one function: its lines say whose module-level code ran.
    const ticks = node.positionTicks ?? [];
    const total = ticks.reduce((sum, t) => sum + t.ticks, 0);
    if (total > 0 && node.callFrame.url.endsWith('index.js')) {
      for (const t of ticks) {
        const where = sourceOf({ ...node.callFrame, lineNumber: t.line - 1, columnNumber: 0 });
        into.set(where, (into.get(where) ?? 0) + (us * t.ticks) / total);
      }
      return;
    }
    const where = sourceOf(node.callFrame);
    into.set(where, (into.get(where) ?? 0) + us);
  });
  return active / 1000;
}

const vars = Object.fromEntries(
  Object.entries(config.vars ?? {}).map(([k, v]) => [k, String(v)]),
) as Record<string, string>;

async function isolate() {
  const modules = readdirSync(bundleDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({
      type: 'ESModule' as const,
      path: join(bundleDir, f),
      contents: readFileSync(join(bundleDir, f), 'utf8'),
    }));
  const d1 = config.d1_databases[0]!;
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      name: 'ublog',
      inspectorPort: 0,
      compatibilityDate: config.compatibility_date!,
      compatibilityFlags: config.compatibility_flags,
      modulesRoot: bundleDir,
      modules: [
        { type: 'ESModule', path: join(bundleDir, '__harness.mjs'), contents: HARNESS },
        ...modules,
      ],
      bindings: {
        ...vars,
        APP_ENV: 'development',
        CORS_ORIGINS: 'http://localhost:5173',
        EDGE_CACHE_SECONDS: '0',
        JWT_SECRET: 'startup-profile-secret-startup-profile-secret',
        IP_HASH_SALT: 'startup-profile-salt',
      },
      d1Databases: { [d1.binding]: d1.database_id! },
      r2Buckets: ['BUCKET'],
      kvNamespaces: ['GRAPHQL_QUERIES'],
      queueProducers: { JOBS: { queueName: 'ublog-jobs' } },
      ratelimits: Object.fromEntries(
        (config.ratelimits ?? []).map(
          (r: { name: string; namespace_id: string; simple: unknown }) => [
            r.name,
            { namespace_id: r.namespace_id, simple: r.simple },
          ],
        ),
      ),
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
    // The bench's seeded local D1 and R2 (wrangler keeps them in <persist-to>/v3).
    resourcePersistencePath: join(seeded, 'v3'),
  });
  await mf.ready;
  const devtools = await devtoolsSession(
    String(new URL('/core:user:ublog', await mf.getInspectorURL())),
  );
  await devtools.send('Profiler.enable');
  await devtools.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  const profiled = async <T>(fn: () => Promise<T>) => {
    await devtools.send('Profiler.start');
    const value = await fn();
    const { profile } = await devtools.send<{ profile: CpuProfile }>('Profiler.stop');
    return { value, profile };
  };
  const dispose = async () => {
    devtools.close();
    await mf.dispose();
  };
  return { mf, profiled, dispose };
}

const answer = async (res: { status: number; text(): Promise<string> }) => ({
  status: res.status,
  body: await res.text(),
});

// Startup.
const startupCosts = new Map<string, number>();
const startupRuns: number[] = [];
for (let i = 0; i < runs; i++) {
  const { mf, profiled, dispose } = await isolate();
  try {
    const { profile } = await profiled(async () =>
      answer(await mf.dispatchFetch('http://localhost/__load')),
    );
    startupRuns.push(attribute(profile, startupCosts));
  } finally {
    await dispose();
  }
}

// First request per feature.
let postId = '';
const firstRequests: Record<string, { firstMs: number; warmMs: number; status: number }> = {};
const wanted = values.features?.split(',');
for (const feature of FEATURES.filter((f) => !wanted || wanted.includes(f.name))) {
  const firsts: number[] = [];
  const warms: number[] = [];
  let status = 0;
  for (let i = 0; i < runs; i++) {
    const { mf, profiled, dispose } = await isolate();
    try {
      await answer(await mf.dispatchFetch('http://localhost/__load'));
      if (!postId && feature.path.includes('{postId}')) {
        // Outside any profile: a fresh isolate is started again below.
        const page = await mf.dispatchFetch('http://localhost/api/v1/posts?limit=1');
        postId = ((await page.json()) as { items: { id: string }[] }).items[0]!.id;
        await dispose();
        i--;
        continue;
      }
      const url = `http://localhost${feature.path.replace('{postId}', postId)}`;
      const send = async () => answer(await mf.dispatchFetch(url, feature.init as never));
      const first = await profiled(send);
      const warm = await profiled(send);
      status = first.value.status;
      if (status >= 500) throw new Error(`${feature.name}: ${status} ${first.value.body}`);
      firsts.push(attribute(first.profile, new Map()));
      warms.push(attribute(warm.profile, new Map()));
    } finally {
      await dispose().catch(() => {});
    }
  }
  firstRequests[feature.name] = { firstMs: median(firsts), warmMs: median(warms), status };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const top = [...startupCosts]
  .sort((a, b) => b[1] - a[1])
  .slice(0, TOP)
  .map(([where, us]) => ({ where, ms: round(us / runs / 1000) }));
const report = {
  bundleKiB: round(bundle.length / 1024),
  gzipKiB: Number(gzipKiB),
  startupMs: round(median(startupRuns)),
  startupRunsMs: startupRuns.map(round),
  topStartupCosts: top,
  firstRequests: Object.fromEntries(
    Object.entries(firstRequests).map(([k, v]) => [
      k,
      { firstMs: round(v.firstMs), warmMs: round(v.warmMs), status: v.status },
    ]),
  ),
};
writeFileSync(
  join(results, `startup-${values.label}.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);

console.log(
  `bundle ${report.bundleKiB} KiB raw / ${report.gzipKiB} KiB gzip; startup ${report.startupMs} ms active CPU (median of ${runs}: ${report.startupRunsMs.join(', ')})`,
);
console.log(`top ${TOP} startup costs (self time, ms per start):`);
for (const t of top) console.log(`  ${String(t.ms).padStart(6)}  ${t.where}`);
console.log('first request per feature (active CPU ms, median; a warm repeat beside it):');
for (const [name, r] of Object.entries(report.firstRequests))
  console.log(
    `  ${name.padEnd(14)} first ${String(r.firstMs).padStart(6)}  warm ${String(r.warmMs).padStart(6)}  (${r.status})`,
  );
