import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../db/client';
import { images, jobRuns, posts, profiles } from '../db/schema';
import type { WorkerContext } from '../jobs/context';
import type { JobMessage } from '../jobs/messages';
import { chunk } from '../lib/chunks';
import type { TaskResult } from './run';

export const SWEEP_JOB = 'sweep_orphan_images';

/** Objects and rows younger than this are never touched: an upload may be mid-flight. */
export const ORPHAN_MIN_AGE_MS = 24 * 60 * 60 * 1000;
/** An image still without a thumbnail this long after upload (or after a requeue) is queued again. */
export const THUMBNAIL_GRACE_MS = 60 * 60 * 1000;
export const SWEEP_LIMITS = { pageSize: 500, maxPages: 20, maxThumbnailRequeues: 500 };
// Two IN lists of this many keys stay under D1's 100 bound parameters.
const KEYS_PER_QUERY = 45;

interface SweepReport {
  objects_scanned: number;
  objects_deleted: number;
  rows_removed: number;
  thumbnails_requeued: number;
  /** Images that never got a thumbnail (a lost message, a seed without one), queued again. */
  missing_thumbnails_requeued: number;
  /** Where the next run continues when this one stopped at its page limit. */
  resume_after: string | null;
}

async function resumePoint(db: Database): Promise<string | null> {
  const [last] = await db
    .select({ detail: jobRuns.detail })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, SWEEP_JOB), eq(jobRuns.outcome, 'ok')))
    .orderBy(desc(jobRuns.startedAt))
    .limit(1);
  try {
    const report = JSON.parse(last?.detail ?? 'null') as Partial<SweepReport> | null;
    return typeof report?.resume_after === 'string' ? report.resume_after : null;
  } catch {
    return null;
  }
}

/** Keys of `keys` that some images row uses, as the image or as its thumbnail. */
async function referencedKeys(db: Database, keys: string[]): Promise<Set<string>> {
  const used = new Set<string>();
  for (const part of chunk(keys, KEYS_PER_QUERY)) {
    const rows = await db
      .select({ key: images.key, thumbnailKey: images.thumbnailKey })
      .from(images)
      .where(or(inArray(images.key, part), inArray(images.thumbnailKey, part)));
    for (const r of rows) {
      used.add(r.key);
      if (r.thumbnailKey) used.add(r.thumbnailKey);
    }
  }
  return used;
}

/**
 * Forgets the thumbnails of `keys` and queues their image.process jobs again, noting when, so
 * the next run does not queue them twice while the jobs are pending.
 */
async function requeueThumbnails(ctx: WorkerContext, keys: string[]) {
  for (const part of chunk(keys, KEYS_PER_QUERY * 2)) {
    await ctx.db
      .update(images)
      .set({ thumbnailKey: null, thumbnailRequeuedAt: new Date(ctx.now()) })
      .where(inArray(images.key, part));
    await ctx.env.JOBS.sendBatch(
      part.map((key) => ({ body: { type: 'image.process', image_key: key } satisfies JobMessage })),
    );
  }
}

/**
 * Images without a thumbnail an hour after upload (and not queued again within the hour),
 * oldest first and at most `limit`: a lost or never-sent job. Undecodable images are left be.
 */
async function imagesMissingThumbnails(ctx: WorkerContext, limit: number) {
  const cutoff = new Date(ctx.now() - THUMBNAIL_GRACE_MS);
  const rows = await ctx.db
    .select({ key: images.key })
    .from(images)
    .where(
      and(
        isNull(images.thumbnailKey),
        isNull(images.thumbnailFailedAt),
        lt(images.createdAt, cutoff),
        or(isNull(images.thumbnailRequeuedAt), lt(images.thumbnailRequeuedAt, cutoff)),
      ),
    )
    .orderBy(asc(images.createdAt))
    .limit(limit);
  return rows.map((r) => r.key);
}

/** Removes rows whose object is gone, nulling every reference to them in the same batch. */
async function removeRows(db: Database, keys: string[]) {
  for (const part of chunk(keys, KEYS_PER_QUERY * 2)) {
    await db.batch([
      db.update(posts).set({ imageKey: null }).where(inArray(posts.imageKey, part)),
      db.update(profiles).set({ avatarKey: null }).where(inArray(profiles.avatarKey, part)),
      db.delete(images).where(inArray(images.key, part)),
    ]);
  }
}

/**
 * Daily: walks the bucket in key order, a bounded number of pages per run, and repairs both
 * directions of disagreement. Objects older than a day that no row uses are deleted (an
 * upload whose row batch never landed). Rows older than a day whose object is missing are
 * removed and their references nulled; a missing thumbnail is forgotten and queued again.
 * Then images that never got a thumbnail an hour after upload are queued again (bounded).
 * Each page is compared with the rows in the same key range, and a row is only judged
 * after a direct check of its object.
 */
export async function sweepOrphanImages(
  ctx: WorkerContext,
  limits: Partial<typeof SWEEP_LIMITS> = {},
): Promise<TaskResult> {
  const { db, env } = ctx;
  const { pageSize, maxPages, maxThumbnailRequeues } = { ...SWEEP_LIMITS, ...limits };
  const cutoff = ctx.now() - ORPHAN_MIN_AGE_MS;
  const report: SweepReport = {
    objects_scanned: 0,
    objects_deleted: 0,
    rows_removed: 0,
    thumbnails_requeued: 0,
    missing_thumbnails_requeued: 0,
    resume_after: null,
  };
  let lower = await resumePoint(db);
  let cursor: string | undefined;

  for (let page = 0; page < maxPages; page++) {
    const listed = await env.BUCKET.list({
      limit: pageSize,
      ...(cursor ? { cursor } : lower ? { startAfter: lower } : {}),
    });
    const keys = listed.objects.map((o) => o.key);
    report.objects_scanned += keys.length;
    const upper = listed.truncated ? (keys.at(-1) ?? null) : null;

    const old = listed.objects.filter((o) => o.uploaded.getTime() < cutoff).map((o) => o.key);
    const used = await referencedKeys(db, old);
    const orphans = old.filter((k) => !used.has(k));
    if (orphans.length > 0) await env.BUCKET.delete(orphans);
    report.objects_deleted += orphans.length;

    const listedKeys = new Set(keys);
    const rows = await db
      .select({ key: images.key, thumbnailKey: images.thumbnailKey })
      .from(images)
      .where(
        and(
          lt(images.createdAt, new Date(cutoff)),
          lower === null ? undefined : gt(images.key, lower),
          upper === null ? undefined : lte(images.key, upper),
        ),
      );
    const exists = async (key: string) => listedKeys.has(key) || !!(await env.BUCKET.head(key));
    const missingRows: string[] = [];
    const missingThumbnails: string[] = [];
    for (const row of rows) {
      if (!(await exists(row.key))) missingRows.push(row.key);
      else if (row.thumbnailKey && !(await exists(row.thumbnailKey)))
        missingThumbnails.push(row.key);
    }
    await removeRows(db, missingRows);
    report.rows_removed += missingRows.length;
    await requeueThumbnails(ctx, missingThumbnails);
    report.thumbnails_requeued += missingThumbnails.length;

    if (!listed.truncated) {
      lower = null;
      break;
    }
    lower = upper;
    cursor = listed.cursor;
  }
  report.resume_after = lower;
  const missing = await imagesMissingThumbnails(ctx, maxThumbnailRequeues);
  await requeueThumbnails(ctx, missing);
  report.missing_thumbnails_requeued = missing.length;
  return {
    rowsTouched:
      report.objects_deleted +
      report.rows_removed +
      report.thumbnails_requeued +
      report.missing_thumbnails_requeued,
    detail: JSON.stringify(report),
  };
}
