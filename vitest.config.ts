import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { SHELL_SETTINGS, TEST_BINDINGS } from './test/support/test-bindings';

// Two projects:
// - workers: inside workerd with local D1, R2, Queues and Images (no mocks of the platform);
//   storage is isolated per test file and test/setup.ts applies the migrations.
//   Its settings are wrangler.toml's [vars] plus test/support/test-bindings.ts, never a developer's
//   .dev.vars: `environment: 'test'` makes the plugin read .dev.vars.test (committed, empty)
//   instead. Wrangler warns that wrangler.toml has no [env.test]; the top level is used, as meant.
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
            wrangler: { configPath: './wrangler.toml', environment: 'test' },
            miniflare: {
              bindings: {
                ...TEST_BINDINGS,
                TEST_MIGRATIONS: migrations,
                // The contract fuzzer's budget (runs per operation) and seed, from the shell.
                ...Object.fromEntries(
                  SHELL_SETTINGS.map((name) => [name, process.env[name] ?? '']),
                ),
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
