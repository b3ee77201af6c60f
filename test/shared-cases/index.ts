import { authCases } from './auth.cases';
import { contentCases } from './content.cases';
import { engineCases } from './engine.cases';
import type { CaseSuite } from './harness';
import { idempotencyCases } from './idempotency.cases';
import { jobsCases } from './jobs.cases';
import { peopleCases } from './people.cases';

/** Every shared suite; both engine runners run all of them. */
export const SHARED_SUITES: Record<string, CaseSuite> = {
  engine: engineCases,
  'jobs and cron': jobsCases,
  'auth queries': authCases,
  'users and profiles queries': peopleCases,
  'statuses, posts, likes and images queries': contentCases,
  'idempotency keys (lib)': idempotencyCases,
};
