// Throwaway A/B: this tree's Worker vs another tree's, interleaved turns of GET /posts/{id}.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, startLocalWorker } from './lib/local-worker';

const other = process.argv[2]!;
const path = process.argv[3] ?? 'post';
const rounds = Number(process.argv[4] ?? 6);
const mk = (name: string) => {
  const d = join(ROOT, '.wrangler', `ab-${name}`);
  rmSync(d, { recursive: true, force: true });
  cpSync(join(ROOT, '.wrangler', 'bench-scale-1'), d, { recursive: true });
  return d;
};
const a = await startLocalWorker({ persistTo: mk('a'), vars: { EDGE_CACHE_SECONDS: '0' } });
const b = await startLocalWorker({
  config: join(other, 'wrangler.toml'),
  persistTo: mk('b'),
  vars: { EDGE_CACHE_SECONDS: '0' },
});
try {
  const first = (await (await fetch(new URL('/api/v1/posts?limit=1', a.url))).json()) as {
    items: { id: string }[];
  };
  const p =
    path === 'post'
      ? `/api/v1/posts/${first.items[0]!.id}`
      : path === 'list'
        ? '/api/v1/posts'
        : '/api/v1/profiles/alice';
  const run = async (w: typeof a, duration: number) =>
    (await autocannon({ url: new URL(p, w.url).toString(), connections: 32, duration })).requests
      .average;
  await run(a, 2);
  await run(b, 2);
  const ra: number[] = [],
    rb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      rb.push(await run(b, 3));
      ra.push(await run(a, 3));
    } else {
      ra.push(await run(a, 3));
      rb.push(await run(b, 3));
    }
  }
  const sum = (x: number[]) => x.reduce((s, v) => s + v, 0);
  console.log(
    `${path}: A ${ra.map(Math.round).join(' ')} | B ${rb.map(Math.round).join(' ')} | A/B ${(sum(ra) / sum(rb)).toFixed(3)}`,
  );
} finally {
  await a.dispose();
  await b.dispose();
}
