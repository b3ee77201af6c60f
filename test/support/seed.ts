import { env } from 'cloudflare:workers';
import { generateSeedData, type SeedData, statementsFor } from '../../scripts/seed-data';

const STATEMENTS_PER_BATCH = 25;

/** Loads the BENCH.md data set at `scale` into this test file's D1 and returns its rows. */
export async function seedBenchData(scale: number): Promise<SeedData> {
  const data = generateSeedData(scale);
  const statements = statementsFor(data);
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    await env.DB.batch(
      statements.slice(i, i + STATEMENTS_PER_BATCH).map((sql) => env.DB.prepare(sql)),
    );
  }
  return data;
}
