import type { Client as LibsqlClient } from '@libsql/client';
import { createClient as createLibsqlWebClient } from '@libsql/client/web';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql/web';
import type { Database } from './client';
import * as schema from './schema';

/** A drizzle database over a libSQL client (web/HTTP in the Worker, file: in Node). */
export function createLibsqlDatabase(client: LibsqlClient): Database {
  return drizzleLibsql(client, { schema }) as unknown as Database;
}

/** The Worker's libSQL database (libsql://, https:// or wss://: the Worker has no file system). */
export function openLibsqlDatabase(url: string, authToken: string | undefined): Database {
  const client = createLibsqlWebClient({ url, ...(authToken ? { authToken } : {}) });
  return createLibsqlDatabase(client);
}
