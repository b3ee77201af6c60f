import { env } from 'cloudflare:workers';
import { openDatabase } from '../../src/db/client';
import { SHARED_SUITES } from '../shared-cases';
import { runSharedCases, TEST_CONFIG } from '../shared-cases/harness';

// The shared data-layer cases on local D1, through the same per-request session the Worker
// opens for a write (test/setup.ts has applied the migrations to this file's database).
runSharedCases(
  async () => ({
    name: 'd1',
    db: (await openDatabase(env, { ...TEST_CONFIG, LIBSQL_URL: undefined })).db,
  }),
  SHARED_SUITES,
);
