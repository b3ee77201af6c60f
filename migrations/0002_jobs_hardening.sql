-- Jobs hardening: permanent thumbnail failures, a bounded thumbnail requeue, an idempotent
-- dead-letter consumer, failed jobs that know whether a retry can succeed, and a job_runs
-- listing newest first.
ALTER TABLE `images` ADD `thumbnail_failed_at` integer;--> statement-breakpoint
ALTER TABLE `images` ADD `thumbnail_requeued_at` integer;--> statement-breakpoint
CREATE INDEX `images_missing_thumbnail_idx` ON `images` (`created_at`) WHERE `thumbnail_key` is null and `thumbnail_failed_at` is null;--> statement-breakpoint
ALTER TABLE `failed_jobs` ADD `retryable` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Rows a redelivered dead-letter message recorded twice: keep the first of each.
DELETE FROM `failed_jobs` WHERE `message_id` IS NOT NULL AND rowid NOT IN (
  SELECT min(rowid) FROM `failed_jobs` WHERE `message_id` IS NOT NULL GROUP BY `queue`, `message_id`
);--> statement-breakpoint
CREATE UNIQUE INDEX `failed_jobs_queue_message_unique` ON `failed_jobs` (`queue`,`message_id`);--> statement-breakpoint
CREATE INDEX `job_runs_started_id_idx` ON `job_runs` (`started_at`,`id`);
