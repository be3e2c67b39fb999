ALTER TABLE `backfill_runs` ADD `error` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `recent_message_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `files_scan` text;