CREATE TABLE `eval_results` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`set` text NOT NULL,
	`case_id` text NOT NULL,
	`pass` integer NOT NULL,
	`detail` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `eval_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eval_results_run_idx` ON `eval_results` (`run_id`);--> statement-breakpoint
CREATE TABLE `eval_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`mode` text NOT NULL,
	`target` text NOT NULL,
	`corpus_hash` text NOT NULL,
	`cases` integer NOT NULL,
	`passed` integer NOT NULL,
	`failed` integer NOT NULL,
	`metrics` text NOT NULL,
	`sets` text NOT NULL,
	`validation` text NOT NULL,
	`failures` text NOT NULL
);
