import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll } from 'vitest';
import { applyMigrations, readMigrations } from '../../../scripts/lib/libsql-migrate';
import { openDatabase } from '../../../src/db/client';
import { SHARED_SUITES } from '../../shared-cases';
import { runSharedCases } from '../../shared-cases/harness';
import { type HranaServer, startHranaServer } from '../support/hrana-server';

// The shared cases through the Worker's own libSQL path: openDatabase() with LIBSQL_URL and
// LIBSQL_AUTH_TOKEN builds @libsql/client/web, which speaks Hrana over HTTP (as to Turso) to
// a local server over a fresh database file migrated like `npm run db:migrate:libsql`.
const file = join(tmpdir(), `ublog-shared-cases-http-${crypto.randomUUID()}.db`);
let server: HranaServer | undefined;

runSharedCases(async () => {
  const migrator = createClient({ url: `file:${file}` });
  // WAL (kept in the file) spares an fsync of the whole journal per statement; same semantics.
  await migrator.execute('PRAGMA journal_mode = WAL');
  await applyMigrations(
    migrator,
    await readMigrations(join(import.meta.dirname, '../../../migrations')),
  );
  migrator.close();
  server = await startHranaServer(file);
  const handle = await openDatabase(
    { DB: undefined as never },
    {
      LIBSQL_URL: server.url,
      LIBSQL_AUTH_TOKEN: server.authToken,
    },
  );
  if (handle.engine !== 'libsql' || handle.bookmark() !== null)
    throw new Error('not the libSQL path');
  return { name: 'libsql', db: handle.db };
}, SHARED_SUITES);

afterAll(async () => {
  await server?.close();
  await Promise.all(
    ['', '-wal', '-shm', '-journal'].map((s) => rm(`${file}${s}`, { force: true })),
  );
});
