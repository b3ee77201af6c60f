import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { images } from '../../db/schema';

export async function findImage(db: Database, key: string) {
  const [row] = await db
    .select({
      key: images.key,
      contentType: images.contentType,
      size: images.size,
      thumbnailKey: images.thumbnailKey,
      thumbnailFailedAt: images.thumbnailFailedAt,
    })
    .from(images)
    .where(eq(images.key, key))
    .limit(1);
  return row ?? null;
}
