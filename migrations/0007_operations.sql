CREATE TABLE `backfill_control` (
	`id` integer PRIMARY KEY NOT NULL,
	`paused_at` integer
);
--> statement-breakpoint
CREATE TABLE `issue_counts` (
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`kind`, `code`)
);
--> statement-breakpoint
CREATE TABLE `migrated_by_hour` (
	`hour` integer PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `status_counts` (
	`entity` text NOT NULL,
	`status` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`entity`, `status`)
);
--> statement-breakpoint
CREATE TABLE `thread_issues` (
	`thread_id` text NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`thread_id`, `kind`, `code`)
);
--> statement-breakpoint
CREATE INDEX `thread_issues_code` ON `thread_issues` (`kind`,`code`,`thread_id`);--> statement-breakpoint
CREATE INDEX `thread_issues_code_status` ON `thread_issues` (`kind`,`code`,`status`,`thread_id`);--> statement-breakpoint
ALTER TABLE `backfill_runs` ADD `migrated` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `backfill_runs_started_at` ON `backfill_runs` (`started_at`);--> statement-breakpoint
CREATE INDEX `backfill_runs_open` ON `backfill_runs` (`id`) WHERE "drained_at" is null;--> statement-breakpoint
CREATE INDEX `threads_status_id` ON `threads` (`status`,`thread_id`);--> statement-breakpoint
CREATE INDEX `threads_backfill_work` ON `threads` (`thread_id`) WHERE ("status" in ('pending', 'failed', 'source_unavailable') or "files_status" = 'failed');