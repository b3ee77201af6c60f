/**
 * Measures one password hash at the production setting: the median of 20 runs of
 * hashPassword (scrypt N=2^14, r=8, p=5), in Node on this machine. `npm run bench:hash`.
 * Not a test: timings depend on the machine and are reported, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { hashPassword, SCRYPT_PARAMS } from '../src/lib/passwords';

const RUNS = 20;

async function main() {
  await hashPassword('warm-up run, not counted');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await hashPassword(`benchmark password ${i}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = ((times[RUNS / 2 - 1] ?? 0) + (times[RUNS / 2] ?? 0)) / 2;
  const { ln, r, p } = SCRYPT_PARAMS;
  console.log(
    `scrypt N=2^${ln} r=${r} p=${p} (${(128 * 2 ** ln * r) / 2 ** 20} MiB): median of ${RUNS} hashes ${median.toFixed(1)} ms (min ${times[0]?.toFixed(1)}, max ${times[RUNS - 1]?.toFixed(1)})`,
  );
}

await main();
