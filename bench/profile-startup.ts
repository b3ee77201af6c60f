/**
 * npx tsx bench/profile-startup.ts [-- --runs N --label NAME --bundle DIR --features a,b]
 * Where a cold start's CPU goes, and what the first request to each feature costs on top
 * (bench/lib/cold-start.ts; `npm run bench` prints the same figures): builds the bundle as
 * `wrangler deploy --dry-run` does (or profiles the one in --bundle, e.g. one built with
 * --minify=false, whose lines give a finer breakdown of the bundle's top level). Needs the
 * bench's seeded scale-1 data. Writes bench/results/startup-<label>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStartLines, profileColdStarts } from './lib/cold-start';
import { ROOT } from './lib/local-worker';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    label: { type: 'string', default: 'latest' },
    bundle: { type: 'string' },
    features: { type: 'string' },
    top: { type: 'string', default: '10' },
  },
});
const results = join(ROOT, 'bench', 'results');
mkdirSync(results, { recursive: true });
const seeded = join(ROOT, '.wrangler', 'bench-scale-1');
if (!existsSync(seeded)) throw new Error('Run `npm run bench -- --quick --rows post_get` first');

const bundleDir = values.bundle ?? join(results, `ublog-bundle-${values.label}`);
if (!values.bundle) {
  rmSync(bundleDir, { recursive: true, force: true });
  const r = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', bundleDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}${r.stderr}`);
}

const figures = await profileColdStarts({
  bundleDir,
  seeded,
  runs: Number(values.runs),
  top: Number(values.top),
  ...(values.features ? { features: values.features.split(',') } : {}),
});
writeFileSync(
  join(results, `startup-${values.label}.json`),
  `${JSON.stringify(figures, null, 2)}\n`,
);
console.log(coldStartLines(figures).join('\n'));
