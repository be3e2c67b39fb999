CREATE TABLE `threads` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`conversation_id` text,
	`messages_migrated` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`last_item_id` text,
	`needs_reconcile` integer DEFAULT false NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`warnings` text DEFAULT '[]' NOT NULL,
	`error` text,
	`tool_resources` text,
	`attached_files` text,
	`metadata_overflow` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`migrated_at` integer
);
--> statement-breakpoint
CREATE INDEX `threads_status_next_attempt` ON `threads` (`status`,`next_attempt_at`);