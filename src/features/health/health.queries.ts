import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

export async function pingDatabase(db: Database): Promise<boolean> {
  try {
    await db.run(sql`select 1`);
    return true;
  } catch (err) {
    console.error('health: database ping failed', err);
    return false;
  }
}
