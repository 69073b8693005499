CREATE TABLE `staff_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`question` text NOT NULL,
	`kind` text NOT NULL,
	`doc_id` text,
	`start` integer,
	`end` integer,
	`quote` text,
	`section` text,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`reviewed_by` text,
	`reviewed_at` integer,
	`message_id` text
);
--> statement-breakpoint
CREATE INDEX `staff_answers_status_idx` ON `staff_answers` (`status`);