/**
 * npx tsx bench/profile-requests.ts [-- --rows post_get,list_anon --requests N --connections C]
 * Where the CPU of a request goes: starts the Worker as the bench does (seeded scale-1 data,
 * edge cache off, BENCH_METRICS off as in production), warms it up, then records the isolate's
 * CPU profile through the DevTools inspector while autocannon sends N requests of each row.
 * Prints active CPU per request and the top self-time costs, mapped back to source files and
 * functions through the bundle's source map. The profiles are saved in bench/results/.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SourceMapConsumer } from 'source-map-js';
import { type CallFrame, type CpuProfile, devtoolsSession } from './lib/devtools';
import { ROOT, startLocalWorker } from './lib/local-worker';
import { anonymousReadContext, WORKLOADS } from './lib/workloads';

const SAMPLING_INTERVAL_US = 100;
const WARMUP_REQUESTS = 300;
const TOP = 25;

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: 'post_get,list_anon,profile' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '8' },
    label: { type: 'string', default: 'latest' },
  },
});
const requests = Number(values.requests);
const rowIds = values.rows.split(',').map((id) => id.trim());
const rows = rowIds.map((id) => {
  const w = WORKLOADS.find((candidate) => candidate.id === id);
  if (!w || !['ublog', 'stack', 'floor'].includes(w.server ?? 'ublog') || w.kind !== 'read') {
    throw new Error(`--rows: ${id} is not an uncached read row (ours, the stack's or the floor's)`);
  }
  return w;
});

const seeded = join(ROOT, '.wrangler', 'bench-scale-1');
if (!existsSync(seeded))
  throw new Error('Run `npm run bench -- --quick --rows post_get` once first');
const runDir = join(ROOT, '.wrangler', 'bench-profile');
rmSync(runDir, { recursive: true, force: true });
cpSync(seeded, runDir, { recursive: true });
const results = join(ROOT, 'bench', 'results');
mkdirSync(results, { recursive: true });

function inspector(url: URL) {
  const address = new URL('/ws', url);
  address.protocol = 'ws:';
  return devtoolsSession(String(address));
}

// The inspector names the bundle `index.js`; wrangler writes it (and its source map) to a
// .wrangler/tmp/dev-* folder that lives as long as the Worker.
function devBundleMap(): SourceMapConsumer | null {
  const tmp = join(ROOT, '.wrangler', 'tmp');
  const dirs = existsSync(tmp)
    ? readdirSync(tmp)
        .filter((d) => d.startsWith('dev-') && existsSync(join(tmp, d, 'index.js.map')))
        .map((d) => join(tmp, d, 'index.js.map'))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  return dirs[0] ? new SourceMapConsumer(JSON.parse(readFileSync(dirs[0], 'utf8'))) : null;
}

const maps = new Map<string, SourceMapConsumer | null>();
function sourceOf(frame: CallFrame): { file: string; where: string } {
  if (!frame.url) return { file: `(${frame.functionName || 'native'})`, where: '' };
  let map = maps.get(frame.url);
  if (map === undefined) {
    map = frame.url === 'index.js' ? devBundleMap() : null;
    maps.set(frame.url, map);
  }
  const pos = map
    ? map.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber })
    : null;
  const source = pos?.source ?? frame.url;
  // Ours relative to the repository; a package's own sources (drizzle maps to its src/) by name.
  // Ours relative to the repository; a package by its path from its node_modules folder.
  const file = source.startsWith(`${ROOT}/`)
    ? source.slice(ROOT.length + 1)
    : source.replace(/^.*?node_modules\//, 'node_modules/').replace(/^(\.\.\/)+/, '');
  return { file, where: pos?.line ? `${file}:${pos.line}` : file };
}

const NONE_OF_OURS = '(none of ours on the stack)';

function summarize(profile: CpuProfile, count: number) {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const byFunction = new Map<string, number>();
  // Inclusive time of our own functions (src/): a sample counts once for each of them on its stack.
  const ownInclusive = new Map<string, number>();
  const ownKeys = new Map<number, string | null>();
  const ownKey = (node: number) => {
    let key = ownKeys.get(node);
    if (key === undefined) {
      const frame = frames.get(node)!;
      const source = sourceOf(frame);
      key = source.file.startsWith('src/')
        ? `${frame.functionName || '(anonymous)'} ${source.where}`
        : null;
      ownKeys.set(node, key);
    }
    return key;
  };
  const byFile = new Map<string, number>();
  // Each sample charged to the innermost file of ours on its stack: what that file costs with
  // the library and runtime code it calls (the rest ran with none of ours on the stack).
  const byOwnFile = new Map<string, number>();
  const byOwnFunction = new Map<string, number>();
  let active = 0;
  for (const [id, us] of byNode) {
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') continue;
    active += us;
    const { file, where } = sourceOf(frame);
    const fn = `${frame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    const onStack = new Set<string>();
    let innermost: { key: string; file: string } | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const key = ownKey(at);
      if (!key) continue;
      onStack.add(key);
      innermost ??= { key, file: sourceOf(frames.get(at)!).file };
    }
    const charged = innermost ?? { key: NONE_OF_OURS, file: NONE_OF_OURS };
    byOwnFile.set(charged.file, (byOwnFile.get(charged.file) ?? 0) + us);
    byOwnFunction.set(charged.key, (byOwnFunction.get(charged.key) ?? 0) + us);
    for (const key of onStack) ownInclusive.set(key, (ownInclusive.get(key) ?? 0) + us);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, us]) => ({
        name,
        usPerRequest: Math.round((us / count) * 10) / 10,
        share: Math.round((us / active) * 1000) / 10,
      }));
  return {
    requests: count,
    activeMsPerRequest: Math.round((active / count / 1000) * 1000) / 1000,
    topFunctions: top(byFunction),
    topFiles: top(byFile),
    topOwnInclusive: top(ownInclusive),
    byOwnFile: top(byOwnFile),
    byOwnFunction: top(byOwnFunction),
  };
}

// The stack and floor rows (stack_post, floor_list, …) profile their fixture the same way.
const servers = new Set(rows.map((w) => w.server ?? 'ublog'));
if (servers.size > 1) throw new Error('--rows: profile one Worker per run (ours, stack, floor)');
const [server] = servers;
const worker = await startLocalWorker({
  ...(server === 'ublog'
    ? {}
    : { config: join(ROOT, 'bench', 'fixtures', `${server}-worker`, 'wrangler.toml') }),
  persistTo: runDir,
  vars: { EDGE_CACHE_SECONDS: '0' },
  inspector: true,
});
const report: Record<string, ReturnType<typeof summarize>> = {};
try {
  const origin = worker.url.origin;
  const ctx = await anonymousReadContext(origin);
  const devtools = await inspector(worker.inspectorUrl!);
  await devtools.send('Profiler.enable');
  await devtools.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  for (const w of rows) {
    const load = (amount: number) =>
      autocannon({
        url: origin,
        connections: Number(values.connections),
        amount,
        requests: w.requests(ctx, 'unused'),
      });
    await load(WARMUP_REQUESTS);
    await devtools.send('Profiler.start');
    const r = await load(requests);
    const { profile } = await devtools.send<{ profile: CpuProfile }>('Profiler.stop');
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${w.id}: ${r.non2xx} non-2xx`);
    writeFileSync(join(results, `${w.id}-${values.label}.cpuprofile`), JSON.stringify(profile));
    report[w.id] = summarize(profile, r.requests.total);
  }
  devtools.close();
} finally {
  await worker.dispose();
}

writeFileSync(
  join(results, `per-request-${values.label}.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);
const SECTIONS = [
  ['top files (self time, µs per request, share)', 'topFiles'],
  ['our files, with the code they call (µs per request, share)', 'byOwnFile'],
  ['our functions, with the code they call (µs per request, share)', 'byOwnFunction'],
  ['our functions, inclusive (µs per request, share)', 'topOwnInclusive'],
  ['top functions', 'topFunctions'],
] as const;

for (const [id, s] of Object.entries(report)) {
  console.log(
    `\n== ${id}: ${s.activeMsPerRequest} ms active CPU per request (${s.requests} requests)`,
  );
  for (const [title, key] of SECTIONS) {
    console.log(`${title}:`);
    for (const f of s[key])
      console.log(
        `  ${String(f.usPerRequest).padStart(7)}  ${String(f.share).padStart(5)}%  ${f.name}`,
      );
  }
}
