import { sql } from 'drizzle-orm';
import { beforeEach, describe } from 'vitest';
import type { Database, Engine } from '../../src/db/client';
import { type Config, readConfig } from '../../src/env';
import type { WorkerContext } from '../../src/jobs/context';

/**
 * One set of data-layer cases, run on both engines: in workerd on local D1
 * (test/engines/d1.test.ts) and in Node on a real libSQL database file
 * (test/node/engines/libsql.test.ts). A case receives the engine's Database and nothing
 * engine-specific, so a difference between the engines fails the same case on one side.
 */
export interface EngineUnderTest {
  name: Engine;
  /** The migrated database (cleared before every case). */
  db: Database;
}

export type CaseSuite = (engine: () => EngineUnderTest) => void;

// Tables that belong to the tooling, not to the schema.
const NOT_OURS = "name not like 'sqlite_%' and name not like '_cf_%' and name <> 'd1_migrations'";

/** Deletes every row of every table (one batch), so each case starts from empty tables. */
export async function clearTables(db: Database) {
  const tables = await db.all<{ name: string }>(
    sql.raw(`select name from sqlite_master where type = 'table' and ${NOT_OURS}`),
  );
  const [first, ...rest] = tables.map((t) => db.run(sql.raw(`delete from "${t.name}"`)));
  if (first) await db.batch([first, ...rest]);
}

const TEST_VARS: Record<string, string> = {
  APP_ENV: 'test',
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  JWT_ISSUER: 'https://api.ublog.example',
  JWT_AUDIENCE: 'ublog-api',
  IP_HASH_SALT: 'test-salt',
};

// wrangler's generated types pin APP_ENV to the value in wrangler.toml; tests use 'test'.
export const TEST_CONFIG: Config = readConfig(TEST_VARS as never);

/**
 * A job/cron context over the engine's database with a fixed clock. No bindings: the data
 * layer must not need them (tasks that also touch R2 or Images are tested in workerd).
 */
export function jobContext(db: Database, now = Date.now()): WorkerContext {
  return { env: {} as WorkerContext['env'], config: TEST_CONFIG, db, now: () => now };
}

export function runSharedCases(
  open: () => Promise<EngineUnderTest>,
  suites: Record<string, CaseSuite>,
) {
  let engine: EngineUnderTest | undefined;
  const current = () => {
    if (!engine) throw new Error('the engine is not open yet');
    return engine;
  };
  beforeEach(async () => {
    engine ??= await open();
    await clearTables(engine.db);
  });
  for (const [name, suite] of Object.entries(suites)) {
    describe(name, () => suite(current));
  }
}
