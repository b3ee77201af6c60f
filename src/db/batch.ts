import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from './client';

export type NamedStatements = Record<string, BatchItem<'sqlite'>>;
export type NamedResults<T extends NamedStatements> = { [K in keyof T]: T[K]['_']['result'] };

/**
 * Runs `statements` as one batch (one transaction) in the order given, and returns each
 * statement's result under its name, so no caller reads a batch's results by position.
 */
export async function batchNamed<T extends NamedStatements>(
  db: Database,
  statements: T,
): Promise<NamedResults<T>> {
  const names = Object.keys(statements);
  const results: unknown[] = await db.batch(
    Object.values(statements) as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]],
  );
  return Object.fromEntries(names.map((name, i) => [name, results[i]])) as NamedResults<T>;
}
