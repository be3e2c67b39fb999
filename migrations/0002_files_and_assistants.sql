CREATE TABLE `assistants` (
	`assistant_id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`vector_store_id` text,
	`code_interpreter_file_ids` text,
	`prompt_spec` text,
	`sources` text,
	`warnings` text DEFAULT '[]' NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`synced_at` integer
);
--> statement-breakpoint
CREATE TABLE `owned_vector_stores` (
	`owner_id` text PRIMARY KEY NOT NULL,
	`vector_store_id` text,
	`create_token` text,
	`create_started_at` integer
);
--> statement-breakpoint
CREATE TABLE `store_files` (
	`owner_id` text NOT NULL,
	`file_id` text NOT NULL,
	`vector_store_id` text NOT NULL,
	`status` text NOT NULL,
	`batch_id` text,
	`last_error` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`owner_id`, `file_id`)
);
--> statement-breakpoint
CREATE INDEX `store_files_batch` ON `store_files` (`batch_id`);--> statement-breakpoint
CREATE INDEX `store_files_status` ON `store_files` (`status`);--> statement-breakpoint
ALTER TABLE `threads` ADD `live_tool_resources` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `files_status` text;