import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { logError } from '../../lib/log';

export async function pingDatabase(db: Database): Promise<boolean> {
  try {
    await db.run(sql`select 1`);
    return true;
  } catch (err) {
    logError({ event: 'health_database_down' }, err);
    return false;
  }
}
