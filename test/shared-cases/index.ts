import { adminCases } from './admin.cases';
import { authCases } from './auth.cases';
import { avatarCases } from './avatar.cases';
import { contentCases } from './content.cases';
import { cronCases } from './cron.cases';
import { engineCases } from './engine.cases';
import type { CaseSuite } from './harness';
import { idempotencyCases } from './idempotency.cases';
import { jobsCases } from './jobs.cases';
import { peopleCases } from './people.cases';

/** Every shared suite; each engine runner runs all of them. */
export const SHARED_SUITES: Record<string, CaseSuite> = {
  engine: engineCases,
  'jobs and cron': jobsCases,
  'cron tasks (database only)': cronCases,
  'auth queries': authCases,
  'users and profiles queries': peopleCases,
  'avatar queries': avatarCases,
  'statuses, posts, likes and images queries': contentCases,
  'admin queries': adminCases,
  'idempotency keys (lib)': idempotencyCases,
};
