import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface StartupFigures {
  bundleKiB: number;
  gzipKiB: number;
  /**
   * Mean "Active" CPU time of the startup profiles. The mean, not the median: the profiler
   * samples about every 2 ms, so a Worker that starts in a few ms often shows 0 in one run.
   */
  activeMs: number;
  runsMs: number[];
  profile: string;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const BUNDLE = /Bundle: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/;
const ACTIVE = /Active: ([\d.]+) ms/;

/**
 * `wrangler check startup` in the Worker's folder: it builds the bundle as `wrangler deploy
 * --dry-run` does, prints its size (raw and gzip), profiles the startup phase (module
 * evaluation) in workerd, and writes the CPU profile to `profile`.
 */
function checkStartup(cwd: string, profile: string) {
  const result = spawnSync('wrangler', ['check', 'startup', '--outfile', profile], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_HIDE_BANNER: 'true',
      // The figures are printed at "log" level.
      WRANGLER_LOG: 'log',
    },
  });
  const out = `${result.stdout}\n${result.stderr}`;
  const bundle = out.match(BUNDLE);
  const active = out.match(ACTIVE);
  if (result.status !== 0 || !bundle || !active) {
    const how = result.error?.message ?? `exit ${result.status ?? result.signal}`;
    throw new Error(`wrangler check startup failed in ${cwd} (${how}):\n${out}`);
  }
  return { bundleKiB: Number(bundle[1]), gzipKiB: Number(bundle[2]), activeMs: Number(active[1]) };
}

/** Both Workers measured in turn, `runs` times each, so they share the machine's noise. */
export function measureStartup(
  workers: { name: string; cwd: string }[],
  resultsDir: string,
  runs: number,
): Record<string, StartupFigures> {
  const runsMs: Record<string, number[]> = Object.fromEntries(workers.map((w) => [w.name, []]));
  const last: Record<string, ReturnType<typeof checkStartup>> = {};
  for (let i = 0; i < runs; i++) {
    for (const w of workers) {
      const r = checkStartup(w.cwd, join(resultsDir, `${w.name}-startup.cpuprofile`));
      runsMs[w.name]!.push(r.activeMs);
      last[w.name] = r;
    }
  }
  return Object.fromEntries(
    workers.map((w) => [
      w.name,
      {
        bundleKiB: last[w.name]!.bundleKiB,
        gzipKiB: last[w.name]!.gzipKiB,
        activeMs: mean(runsMs[w.name]!),
        runsMs: runsMs[w.name]!,
        profile: join(resultsDir, `${w.name}-startup.cpuprofile`),
      },
    ]),
  );
}
