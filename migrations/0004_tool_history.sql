ALTER TABLE `assistants` ADD `tool_types` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `items_written` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `entry_items_written` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Before tool items every item was a message: what a thread wrote so far is what it migrated.
UPDATE `threads` SET `items_written` = `messages_migrated`;
