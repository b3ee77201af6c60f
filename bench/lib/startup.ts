import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { type CpuProfile, devtoolsSession } from './devtools';
import { median } from './load';

export interface StartupFigures {
  /** From `wrangler check startup`: the bundle as `wrangler deploy --dry-run` builds it. */
  bundleKiB: number;
  gzipKiB: number;
  /** `wrangler check startup`'s "Active" figure (one run; its profile is saved). */
  checkStartupActiveMs: number;
  /** Median active CPU time of module evaluation, profiled at a fine sampling interval. */
  activeMs: number;
  runsMs: number[];
  profile: string;
}

const WRANGLER_ENV = {
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  // The figures are printed at "log" level.
  WRANGLER_LOG: 'log',
};

export function wrangler(cwd: string, args: string[]) {
  const result = spawnSync('wrangler', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...WRANGLER_ENV },
  });
  const out = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) {
    const how = result.error?.message ?? `exit ${result.status ?? result.signal}`;
    throw new Error(`wrangler ${args.join(' ')} failed in ${cwd} (${how}):\n${out}`);
  }
  return out;
}

const BUNDLE = /Bundle: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/;
const ACTIVE = /Active: ([\d.]+) ms/;

/**
 * `wrangler check startup` in the Worker's folder: builds the bundle as `wrangler deploy
 * --dry-run` does, prints its size (raw and gzip), profiles the startup phase in workerd and
 * writes the CPU profile.
 */
function checkStartup(cwd: string, profile: string) {
  const out = wrangler(cwd, ['check', 'startup', '--outfile', profile]);
  const bundle = out.match(BUNDLE);
  const active = out.match(ACTIVE);
  if (!bundle || !active) throw new Error(`wrangler check startup printed no figures:\n${out}`);
  return { bundleKiB: Number(bundle[1]), gzipKiB: Number(bundle[2]), activeMs: Number(active[1]) };
}

// wrangler check startup samples about every 2-3 ms, so a Worker that starts in a few ms
// often shows 0: the same harness (import the main module inside a fetch), sampled finer.
const SAMPLING_INTERVAL_US = 100;
const HARNESS = `export default { async fetch() { await import('./index.js'); return new Response('ok'); } };`;

function activeMs(profile: CpuProfile) {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  let active = 0;
  profile.timeDeltas.forEach((delta, i) => {
    if (names.get(profile.samples[i] ?? -1) !== '(idle)') active += delta;
  });
  return active / 1000;
}

/** One fresh isolate: evaluates the bundle in `dir` under the CPU profiler. */
async function profileStartup(dir: string, compatibilityDate: string, flags: string[]) {
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))
    .map((f) => ({
      type: 'ESModule' as const,
      path: join(dir, f),
      contents: readFileSync(join(dir, f), 'utf8'),
    }));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: 'profiler',
      inspectorPort: 0,
      compatibilityDate,
      compatibilityFlags: flags,
      modulesRoot: dir,
      modules: [
        { type: 'ESModule', path: join(dir, '__harness.mjs'), contents: HARNESS },
        ...modules,
      ],
    }),
  );
  try {
    await mf.ready;
    const { send, close } = await devtoolsSession(
      String(new URL('/core:user:profiler', await mf.getInspectorURL())),
    );
    await send('Profiler.enable');
    await send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await send('Profiler.start');
    await (await mf.dispatchFetch('http://localhost/')).text();
    const { profile } = await send<{ profile: CpuProfile }>('Profiler.stop');
    close();
    return activeMs(profile);
  } finally {
    await mf.dispose();
  }
}

/**
 * For each Worker: `wrangler check startup` once (bundle size, its profile), then `runs`
 * fine-grained startup profiles of the same dry-run bundle, the Workers taking turns so that
 * they share the machine's noise.
 */
export async function measureStartup(
  workers: { name: string; cwd: string }[],
  resultsDir: string,
  runs: number,
): Promise<Record<string, StartupFigures>> {
  const prepared = workers.map((w) => {
    const profile = join(resultsDir, `${w.name}-startup.cpuprofile`);
    const check = checkStartup(w.cwd, profile);
    const outdir = join(resultsDir, `${w.name}-bundle`);
    rmSync(outdir, { recursive: true, force: true });
    wrangler(w.cwd, ['deploy', '--dry-run', '--outdir', outdir]);
    const config = unstable_readConfig({ config: join(w.cwd, 'wrangler.toml') });
    return { ...w, profile, check, outdir, config, runsMs: [] as number[] };
  });
  for (let i = 0; i < runs; i++) {
    for (const w of prepared) {
      const date = w.config.compatibility_date;
      if (!date) throw new Error(`${w.cwd}/wrangler.toml has no compatibility_date`);
      w.runsMs.push(await profileStartup(w.outdir, date, w.config.compatibility_flags ?? []));
    }
  }
  return Object.fromEntries(
    prepared.map((w) => [
      w.name,
      {
        bundleKiB: w.check.bundleKiB,
        gzipKiB: w.check.gzipKiB,
        checkStartupActiveMs: w.check.activeMs,
        activeMs: median(w.runsMs),
        runsMs: w.runsMs.map((ms) => Math.round(ms * 10) / 10),
        profile: w.profile,
      },
    ]),
  );
}
