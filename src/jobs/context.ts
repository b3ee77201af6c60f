import type { Database } from '../db/client';
import type { Bindings, Config } from '../env';

/** What a job or cron task gets: bindings, parsed config, a database and a clock. */
export interface WorkerContext {
  env: Bindings;
  config: Config;
  db: Database;
  now: () => number;
}
