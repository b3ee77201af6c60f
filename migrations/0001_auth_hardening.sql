-- Access-token revocation: every access token carries the generation it was signed under;
-- bumping it (password change or reset, refresh-token reuse, deactivation, log out
-- everywhere) makes every earlier token fail at the user lookup each request already does.
ALTER TABLE `users` ADD `token_generation` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- An email change waits here until the token mailed to the new address is used.
ALTER TABLE `users` ADD `pending_email` text;
--> statement-breakpoint
-- The absolute end of a refresh family (REFRESH_FAMILY_MAX_DAYS after its login), copied
-- to every rotation. The DEFAULT only serves this ALTER; the backfill below sets real values.
ALTER TABLE `sessions` ADD `family_expires_at` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `sessions` SET `family_expires_at` = (
	SELECT min(f.`created_at`) FROM `sessions` f WHERE f.`family_id` = `sessions`.`family_id`
) + 90 * 86400000;
--> statement-breakpoint
-- When a rotated token used its one replay inside the reuse grace window.
ALTER TABLE `sessions` ADD `grace_used_at` integer;
