import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { images, posts } from '../../db/schema';

/**
 * Deletes an upload's images row unless a post uses it: when a retried create finds its post
 * already written (with an earlier upload), this upload's row goes again in the same batch.
 */
export const deleteImageUnlessPosted = (db: Database, key: string) =>
  db
    .delete(images)
    .where(
      and(
        eq(images.key, key),
        sql`not exists (select 1 from ${posts} where ${posts.imageKey} = ${key})`,
      ),
    );
