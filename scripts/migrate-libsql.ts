/**
 * Applies migrations/ to the libSQL database at LIBSQL_URL (Turso: libsql://...; local:
 * file:path.db), with LIBSQL_AUTH_TOKEN when the server needs one.
 *   LIBSQL_URL=file:local.db npm run db:migrate:libsql
 * Running it again applies nothing: applied names are kept in d1_migrations.
 */
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { applyMigrations, readMigrations } from './lib/libsql-migrate';

const url = process.env.LIBSQL_URL;
if (!url) {
  console.error('Set LIBSQL_URL (e.g. libsql://<db>-<org>.turso.io or file:local.db).');
  process.exit(2);
}
const authToken = process.env.LIBSQL_AUTH_TOKEN;

const client = createClient({ url, ...(authToken ? { authToken } : {}) });
try {
  const migrations = await readMigrations(join(import.meta.dirname, '..', 'migrations'));
  const applied = await applyMigrations(client, migrations);
  const where = url.replace(/\?.*$/, '');
  if (applied.length === 0) {
    console.log(`${where}: up to date (all ${migrations.length} applied before).`);
  } else {
    for (const name of applied) console.log(`applied ${name}`);
    console.log(`${where}: applied ${applied.length} of ${migrations.length} migrations.`);
  }
} catch (err) {
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  client.close();
}
