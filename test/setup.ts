import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Runs before each test file; storage is per file, so this applies migrations once per file.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
