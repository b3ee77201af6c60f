import type { D1Migration } from 'cloudflare:test';
import type { Secrets } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends Secrets {
      TEST_MIGRATIONS: D1Migration[];
      /** miniflare's send_email binding (vitest.config.ts). */
      EMAIL: SendEmail;
      /** test/fuzz: runs per operation and the seed (empty: the defaults). */
      FUZZ_RUNS: string;
      FUZZ_SEED: string;
    }
  }
}
