import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { SourceMapConsumer } from 'source-map-js';
import { unstable_readConfig } from 'wrangler';
import { type CallFrame, type CpuProfile, devtoolsSession } from './devtools';
import { median } from './load';
import { ROOT } from './local-worker';

const SAMPLING_INTERVAL_US = 100;

/** The first request of each feature, as a client would send it. */
export const FEATURES: { name: string; path: string; init?: RequestInit }[] = [
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

/** The features the floor Worker (bench/fixtures/floor-worker) serves: its two routes. */
export const FLOOR_FEATURES = ['posts list', 'post'];

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

export interface ColdStartFigures {
  bundleKiB: number;
  gzipKiB: number;
  startupMs: number;
  startupRunsMs: number[];
  topStartupCosts: { where: string; ms: number }[];
  /** Self time by source over every feature's first request, ms per first request. */
  topFirstRequestCosts: { where: string; ms: number }[];
  /** Active CPU of the first request to each feature after a cold start, and of a warm repeat. */
  firstRequests: Record<string, { firstMs: number; warmMs: number; status: number }>;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Profiles cold starts of the Worker bundle in `bundleDir` (wrangler deploy --dry-run output):
 * `runs` fresh isolates evaluate it under the CPU profiler (startup CPU and its top costs by
 * source, through the bundle's source map), then for each feature `runs` fresh isolates
 * evaluate it unprofiled and profile the feature's first request, against the bench's seeded
 * scale-1 data (`seeded`, a wrangler --persist-to folder), and a warm repeat.
 */
export async function profileColdStarts(options: {
  bundleDir: string;
  seeded: string;
  runs: number;
  top: number;
  features?: readonly string[];
}): Promise<ColdStartFigures> {
  const { bundleDir, seeded, runs } = options;
  const bundle = readFileSync(join(bundleDir, 'index.js'));
  const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
  // An unminified bundle keeps each module on lines of its own, so the profile's line ticks
  // inside one function (the bundle's top level, esbuild's module initializer) name modules.
  const unminified = bundle.toString('utf8').split('\n', 20_001).length > 20_000;
  const mapPath = join(bundleDir, 'index.js.map');
  const sourceMap = existsSync(mapPath)
    ? new SourceMapConsumer(JSON.parse(readFileSync(mapPath, 'utf8')))
    : null;

  function sourceOf(frame: CallFrame) {
    if (!frame.url) return `(${frame.functionName || 'native'})`;
    if (!frame.url.endsWith('index.js')) return `${frame.url} ${frame.functionName}`.trim();
    if (frame.lineNumber < 0 || (frame.lineNumber === 0 && frame.functionName === ''))
      return '(the bundle: top-level code)';
    const pos = sourceMap?.originalPositionFor({
      line: frame.lineNumber + 1,
      column: frame.columnNumber,
    });
    const source = pos?.source ?? `(the bundle: ${frame.functionName || 'anonymous'})`;
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
      if (unminified && total > 0 && node.callFrame.url.endsWith('index.js')) {
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

  const startupCosts = new Map<string, number>();
  const startupRuns: number[] = [];
  // A post for the post and likes rows, read after a start's profile has been taken.
  let postId = '';
  for (let i = 0; i < runs; i++) {
    const { mf, profiled, dispose } = await isolate();
    try {
      const { profile } = await profiled(async () =>
        answer(await mf.dispatchFetch('http://localhost/__load')),
      );
      startupRuns.push(attribute(profile, startupCosts));
      if (!postId) {
        const page = await mf.dispatchFetch('http://localhost/api/v1/posts?limit=1');
        postId = ((await page.json()) as { items: { id: string }[] }).items[0]!.id;
      }
    } finally {
      await dispose();
    }
  }

  const firstRequests: ColdStartFigures['firstRequests'] = {};
  const firstRequestCosts = new Map<string, number>();
  let firstRequestCount = 0;
  for (const feature of FEATURES.filter(
    (f) => !options.features || options.features.includes(f.name),
  )) {
    const firsts: number[] = [];
    const warms: number[] = [];
    let status = 0;
    for (let i = 0; i < runs; i++) {
      const { mf, profiled, dispose } = await isolate();
      try {
        await answer(await mf.dispatchFetch('http://localhost/__load'));
        const url = `http://localhost${feature.path.replace('{postId}', postId)}`;
        const send = async () => answer(await mf.dispatchFetch(url, feature.init as never));
        const first = await profiled(send);
        const warm = await profiled(send);
        status = first.value.status;
        if (status >= 500) throw new Error(`${feature.name}: ${status} ${first.value.body}`);
        firsts.push(attribute(first.profile, firstRequestCosts));
        firstRequestCount++;
        warms.push(attribute(warm.profile, new Map()));
      } finally {
        await dispose().catch(() => {});
      }
    }
    firstRequests[feature.name] = {
      firstMs: round(median(firsts)),
      warmMs: round(median(warms)),
      status,
    };
  }

  return {
    bundleKiB: round(bundle.length / 1024),
    gzipKiB: round(gzipSync(bundle).length / 1024),
    startupMs: round(median(startupRuns)),
    startupRunsMs: startupRuns.map(round),
    topStartupCosts: [...startupCosts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([where, us]) => ({ where, ms: round(us / runs / 1000) })),
    firstRequests,
    topFirstRequestCosts: [...firstRequestCosts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([where, us]) => ({ where, ms: round(us / Math.max(1, firstRequestCount) / 1000) })),
  };
}

/** The figures as lines of text. */
export function coldStartLines(r: ColdStartFigures): string[] {
  return [
    `Cold start (bench/lib/cold-start.ts): bundle ${r.bundleKiB} KiB raw / ${r.gzipKiB} KiB gzip; startup ${r.startupMs} ms active CPU (median of ${r.startupRunsMs.length}: ${r.startupRunsMs.join(', ')})`,
    `Top ${r.topStartupCosts.length} startup costs (self time, ms per start, by source):`,
    ...r.topStartupCosts.map((t) => `  ${String(t.ms).padStart(6)}  ${t.where}`),
    'First request to each feature after a cold start (active CPU ms, median; a warm repeat beside it):',
    ...Object.entries(r.firstRequests).map(
      ([name, f]) =>
        `  ${name.padEnd(14)} first ${String(f.firstMs).padStart(6)}  warm ${String(f.warmMs).padStart(6)}  (HTTP ${f.status})`,
    ),
    `Top ${r.topFirstRequestCosts.length} first-request costs (self time, ms per first request, over the features above):`,
    ...r.topFirstRequestCosts.map((t) => `  ${String(t.ms).padStart(6)}  ${t.where}`),
  ];
}
