/**
 * Applies migrations/*.sql (written by drizzle-kit, applied to D1 by wrangler) to a libSQL
 * database. Applied names go into the same table wrangler keeps on D1 (d1_migrations: id,
 * name, applied_at), so one database never runs a migration twice and either tool can tell
 * where a database stands. Used by scripts/migrate-libsql.ts and by the Node tests.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@libsql/client';

export const MIGRATIONS_TABLE = 'd1_migrations';
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

export interface Migration {
  /** The file name, as wrangler records it (e.g. 0000_init.sql). */
  name: string;
  statements: string[];
}

// The same DDL wrangler runs before applying D1 migrations.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** drizzle-kit separates statements with a breakpoint comment; empty pieces are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(STATEMENT_BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.replace(/^\s*--.*$/gm, '').trim().length > 0);
}

/** Every *.sql file in the folder, in name order (wrangler's order too). */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      statements: splitStatements(await readFile(join(dir, name), 'utf8')),
    })),
  );
}

export async function appliedMigrations(client: Client): Promise<string[]> {
  await client.execute(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.execute(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
  return rows.map((r) => String(r.name));
}

/**
 * Applies the migrations not yet recorded, each in one transaction together with its
 * d1_migrations row (client.migrate also turns foreign-key checks off around it, as table
 * rebuilds need). Returns the names it applied, in order.
 */
export async function applyMigrations(client: Client, migrations: Migration[]): Promise<string[]> {
  const done = new Set(await appliedMigrations(client));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    await client.migrate([
      ...migration.statements,
      { sql: `INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?)`, args: [migration.name] },
    ]);
    applied.push(migration.name);
  }
  return applied;
}
