ALTER TABLE `eval_runs` ADD `breakdown` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `frame` text;