import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll } from 'vitest';
import { applyMigrations, readMigrations } from '../../../scripts/lib/libsql-migrate';
import { createLibsqlDatabase } from '../../../src/db/libsql';
import { SHARED_SUITES } from '../../shared-cases';
import { runSharedCases } from '../../shared-cases/harness';

// The shared data-layer cases on a real libSQL database file, fresh for this test file and
// migrated by the same code as `npm run db:migrate:libsql`.
const file = join(tmpdir(), `ublog-shared-cases-${crypto.randomUUID()}.db`);
let client: Client | undefined;

runSharedCases(async () => {
  client = createClient({ url: `file:${file}` });
  // WAL (kept in the file) spares an fsync of the whole journal per statement; same semantics.
  await client.execute('PRAGMA journal_mode = WAL');
  await applyMigrations(
    client,
    await readMigrations(join(import.meta.dirname, '../../../migrations')),
  );
  return { name: 'libsql', db: createLibsqlDatabase(client) };
}, SHARED_SUITES);

afterAll(async () => {
  client?.close();
  await Promise.all(
    ['', '-wal', '-shm', '-journal'].map((s) => rm(`${file}${s}`, { force: true })),
  );
});
