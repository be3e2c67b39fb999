CREATE TABLE `thread_discovery` (
	`source` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`cursor` text,
	`run_id` text,
	`listed` integer DEFAULT 0 NOT NULL,
	`error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `threads_status_updated` ON `threads` (`status`,`updated_at`);