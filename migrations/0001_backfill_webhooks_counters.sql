CREATE TABLE `backfill_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`enqueued` integer DEFAULT 0 NOT NULL,
	`fan_out_done_at` integer,
	`drained_at` integer
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`webhook_id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received_at` ON `webhook_deliveries` (`received_at`);--> statement-breakpoint
ALTER TABLE `threads` ADD `enqueued_at` integer;--> statement-breakpoint
ALTER TABLE `threads` ADD `queued_run_id` text;--> statement-breakpoint
CREATE INDEX `threads_queued_run` ON `threads` (`queued_run_id`,`status`);--> statement-breakpoint
CREATE INDEX `threads_migrated_at` ON `threads` (`migrated_at`);