CREATE TABLE `export_chunks` (
	`export_id` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	PRIMARY KEY(`export_id`, `start`)
);
--> statement-breakpoint
CREATE TABLE `export_threads` (
	`export_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`first_line` integer NOT NULL,
	`last_line` integer NOT NULL,
	`chunk` integer NOT NULL,
	`location` text NOT NULL,
	PRIMARY KEY(`export_id`, `thread_id`)
);
--> statement-breakpoint
CREATE INDEX `export_threads_chunk` ON `export_threads` (`export_id`,`chunk`);--> statement-breakpoint
CREATE TABLE `exports` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'ingesting' NOT NULL,
	`upload_key` text NOT NULL,
	`format` text NOT NULL,
	`lines_key` text,
	`bytes` integer NOT NULL,
	`offset` integer DEFAULT 0 NOT NULL,
	`lines` integer DEFAULT 0 NOT NULL,
	`open_thread` text,
	`threads_found` integer DEFAULT 0 NOT NULL,
	`threads_registered` integer DEFAULT 0 NOT NULL,
	`lines_rejected` integer DEFAULT 0 NOT NULL,
	`rejections` text DEFAULT '[]' NOT NULL,
	`error` text,
	`queued_after` text,
	`queued_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`ingested_at` integer
);
--> statement-breakpoint
ALTER TABLE `threads` ADD `source` text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `export_id` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `export_location` text;--> statement-breakpoint
CREATE INDEX `threads_export` ON `threads` (`export_id`,`thread_id`);