import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects:
// - workers: inside workerd with local D1, R2, Queues and Images (no mocks of the platform);
//   storage is isolated per test file and test/setup.ts applies the migrations.
// - node: what needs Node (the OpenAPI validator, the libSQL engine on a real database file).
const migrations = await readD1Migrations('migrations');

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest-results.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                APP_ENV: 'test',
                JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
                IP_HASH_SALT: 'test-salt',
                TEST_MIGRATIONS: migrations,
                // The contract fuzzer's budget (runs per operation) and seed, from the shell.
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? '',
                FUZZ_SEED: process.env.FUZZ_SEED ?? '',
              },
              // miniflare's send_email binding for the binding transport's test: it accepts
              // only this sender and this recipient, as Email Service would a verified set.
              email: {
                send_email: [
                  {
                    name: 'EMAIL',
                    allowed_sender_addresses: ['noreply@ublog.example'],
                    allowed_destination_addresses: ['ada@example.com'],
                  },
                ],
              },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/node/**'],
          setupFiles: ['./test/setup.ts'],
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
        },
      },
    ],
  },
});
