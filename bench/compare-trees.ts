/**
 * npx tsx bench/compare-trees.ts -- --other DIR [--rows post_get,gql_post --rounds 6 --seconds 3]
 * Before/after on one noisy machine: this tree's Worker and another checkout's (DIR, e.g. a
 * `git worktree` of the commit before a change, with node_modules) run side by side on copies
 * of the bench's seeded data, edge cache off, and take turns under the same load (the order
 * flips every round). Prints each row's req/s per round and this tree's / the other's.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type LocalWorker, ROOT, startLocalWorker } from './lib/local-worker';
import { anonymousReadContext, WORKLOADS } from './lib/workloads';

const { values } = parseArgs({
  options: {
    other: { type: 'string' },
    rows: { type: 'string', default: 'post_get' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
  },
});
if (!values.other) throw new Error('--other: the checkout to compare with');
const seeded = join(ROOT, '.wrangler', 'bench-scale-1');
if (!existsSync(seeded)) throw new Error('Run `npm run bench -- --quick --rows post_get` first');
const rows = values.rows.split(',').map((id) => {
  const w = WORKLOADS.find((candidate) => candidate.id === id.trim());
  if (!w || (w.server ?? 'ublog') !== 'ublog' || w.kind !== 'read') {
    throw new Error(`--rows: ${id} is not one of our uncached read rows`);
  }
  return w;
});

function dataCopy(name: string) {
  const dir = join(ROOT, '.wrangler', `compare-${name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(seeded, dir, { recursive: true });
  return dir;
}

const vars = { EDGE_CACHE_SECONDS: '0' };
const ours = await startLocalWorker({ persistTo: dataCopy('ours'), vars });
let other: LocalWorker | undefined;
try {
  other = await startLocalWorker({
    config: join(values.other, 'wrangler.toml'),
    persistTo: dataCopy('other'),
    vars,
  });
  const ctx = await anonymousReadContext(ours.url);
  for (const row of rows) {
    const load = async (worker: LocalWorker, seconds: number) => {
      const r = await autocannon({
        url: worker.url.origin,
        connections: Number(values.connections),
        duration: seconds,
        requests: row.requests(ctx, 'unused'),
      });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${row.id}: ${r.non2xx} non-2xx`);
      return r.requests.average;
    };
    const workers = { ours, other };
    await load(ours, 1);
    await load(other, 1);
    const perSecond = { ours: [] as number[], other: [] as number[] };
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = round % 2 === 0 ? (['ours', 'other'] as const) : (['other', 'ours'] as const);
      for (const name of order) {
        perSecond[name].push(await load(workers[name], Number(values.seconds)));
      }
    }
    const total = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0);
    console.log(
      `${row.id}: this tree ${perSecond.ours.map(Math.round).join(' ')} | other ${perSecond.other.map(Math.round).join(' ')} req/s | this / other ${(total(perSecond.ours) / total(perSecond.other)).toFixed(2)}`,
    );
  }
} finally {
  await ours.dispose();
  await other?.dispose();
}
