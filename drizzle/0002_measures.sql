CREATE TYPE "public"."concept_kind" AS ENUM('integrated', 'heat_planning', 'mobility', 'adaptation', 'other');--> statement-breakpoint
CREATE TYPE "public"."constraint_aspect" AS ENUM('economic', 'building', 'nature', 'monument', 'other');--> statement-breakpoint
CREATE TYPE "public"."constraint_state" AS ENUM('not_relevant', 'to_check', 'cleared', 'conflict');--> statement-breakpoint
CREATE TYPE "public"."field_theme" AS ENUM('energy', 'buildings', 'mobility', 'municipal', 'adaptation', 'land_use', 'economy', 'participation', 'other');--> statement-breakpoint
CREATE TYPE "public"."measure_priority" AS ENUM('high', 'medium', 'low');--> statement-breakpoint
CREATE TYPE "public"."measure_status" AS ENUM('idea', 'planned', 'preparation', 'implementation', 'completed', 'on_hold', 'discarded');--> statement-breakpoint
CREATE TYPE "public"."measure_term" AS ENUM('short', 'medium', 'long');--> statement-breakpoint
CREATE TYPE "public"."measure_update_kind" AS ENUM('note', 'status', 'created', 'import');--> statement-breakpoint
CREATE TYPE "public"."task_state" AS ENUM('open', 'in_progress', 'done', 'cancelled');--> statement-breakpoint
CREATE TABLE "concepts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" "concept_kind" DEFAULT 'integrated' NOT NULL,
	"adopted_on" date,
	"resolution" text DEFAULT '' NOT NULL,
	"document_url" text DEFAULT '' NOT NULL,
	"target_year" integer,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fields_of_action" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"concept_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"theme" "field_theme" DEFAULT 'other' NOT NULL,
	"color" text DEFAULT '#4a6f8a' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"value" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_measures" (
	"indicator_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	CONSTRAINT "indicator_measures_indicator_id_measure_id_pk" PRIMARY KEY("indicator_id","measure_id")
);
--> statement-breakpoint
CREATE TABLE "indicator_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"observed_on" date NOT NULL,
	"value" double precision NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_constraints" (
	"measure_id" uuid NOT NULL,
	"aspect" "constraint_aspect" NOT NULL,
	"network_id" uuid NOT NULL,
	"state" "constraint_state" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"checked_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_constraints_measure_id_aspect_pk" PRIMARY KEY("measure_id","aspect")
);
--> statement-breakpoint
CREATE TABLE "measure_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"filename" text NOT NULL,
	"changes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "measure_partners" (
	"measure_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	CONSTRAINT "measure_partners_measure_id_body_id_pk" PRIMARY KEY("measure_id","body_id")
);
--> statement-breakpoint
CREATE TABLE "measure_settings" (
	"network_id" uuid PRIMARY KEY NOT NULL,
	"stale_after_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_person_id" uuid,
	"due_on" date,
	"state" "task_state" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"kind" "measure_update_kind" DEFAULT 'note' NOT NULL,
	"happened_on" date NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"status_from" "measure_status",
	"status_to" "measure_status",
	"progress_from" integer,
	"progress_to" integer,
	"author_id" text,
	"author_name" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"concept_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"field_id" uuid,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" "measure_status" DEFAULT 'idea' NOT NULL,
	"status_reason" text DEFAULT '' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"priority" "measure_priority" DEFAULT 'medium' NOT NULL,
	"term" "measure_term",
	"responsible_body_id" uuid,
	"contact_person_id" uuid,
	"planned_start" date,
	"planned_end" date,
	"actual_start" date,
	"actual_end" date,
	"cost_estimate" double precision,
	"funding_source" text DEFAULT '' NOT NULL,
	"savings_t" double precision,
	"is_public" boolean DEFAULT false NOT NULL,
	"copied_from_id" uuid,
	"last_update_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('german', coalesce("measures"."title", '')), 'A') || setweight(to_tsvector('german', coalesce("measures"."description", '')), 'B')) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"from_type" text NOT NULL,
	"from_id" text NOT NULL,
	"to_type" text NOT NULL,
	"to_id" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "concepts" ADD CONSTRAINT "concepts_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concepts" ADD CONSTRAINT "concepts_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fields_of_action" ADD CONSTRAINT "fields_of_action_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fields_of_action" ADD CONSTRAINT "fields_of_action_concept_id_concepts_id_fk" FOREIGN KEY ("concept_id") REFERENCES "public"."concepts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_goals" ADD CONSTRAINT "indicator_goals_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_goals" ADD CONSTRAINT "indicator_goals_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_measures" ADD CONSTRAINT "indicator_measures_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_measures" ADD CONSTRAINT "indicator_measures_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_measures" ADD CONSTRAINT "indicator_measures_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_constraints" ADD CONSTRAINT "measure_constraints_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_constraints" ADD CONSTRAINT "measure_constraints_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_imports" ADD CONSTRAINT "measure_imports_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_imports" ADD CONSTRAINT "measure_imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_partners" ADD CONSTRAINT "measure_partners_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_partners" ADD CONSTRAINT "measure_partners_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_partners" ADD CONSTRAINT "measure_partners_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_settings" ADD CONSTRAINT "measure_settings_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_tasks" ADD CONSTRAINT "measure_tasks_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_tasks" ADD CONSTRAINT "measure_tasks_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_tasks" ADD CONSTRAINT "measure_tasks_owner_person_id_people_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_updates" ADD CONSTRAINT "measure_updates_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_updates" ADD CONSTRAINT "measure_updates_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_updates" ADD CONSTRAINT "measure_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_concept_id_concepts_id_fk" FOREIGN KEY ("concept_id") REFERENCES "public"."concepts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_field_id_fields_of_action_id_fk" FOREIGN KEY ("field_id") REFERENCES "public"."fields_of_action"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_responsible_body_id_bodies_id_fk" FOREIGN KEY ("responsible_body_id") REFERENCES "public"."bodies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_contact_person_id_people_id_fk" FOREIGN KEY ("contact_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_copied_from_id_measures_id_fk" FOREIGN KEY ("copied_from_id") REFERENCES "public"."measures"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_links" ADD CONSTRAINT "record_links_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_links" ADD CONSTRAINT "record_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "concepts_network_body_idx" ON "concepts" USING btree ("network_id","body_id");--> statement-breakpoint
CREATE INDEX "fields_of_action_concept_idx" ON "fields_of_action" USING btree ("concept_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_goals_indicator_year_uq" ON "indicator_goals" USING btree ("indicator_id","year");--> statement-breakpoint
CREATE INDEX "indicator_measures_measure_idx" ON "indicator_measures" USING btree ("measure_id");--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_values_indicator_date_uq" ON "indicator_values" USING btree ("indicator_id","observed_on");--> statement-breakpoint
CREATE INDEX "indicators_network_body_idx" ON "indicators" USING btree ("network_id","body_id","name");--> statement-breakpoint
CREATE INDEX "measure_constraints_network_state_idx" ON "measure_constraints" USING btree ("network_id","state");--> statement-breakpoint
CREATE INDEX "measure_imports_user_idx" ON "measure_imports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "measure_partners_body_idx" ON "measure_partners" USING btree ("body_id");--> statement-breakpoint
CREATE INDEX "measure_tasks_measure_idx" ON "measure_tasks" USING btree ("measure_id","due_on");--> statement-breakpoint
CREATE INDEX "measure_tasks_network_due_idx" ON "measure_tasks" USING btree ("network_id","state","due_on");--> statement-breakpoint
CREATE INDEX "measure_updates_measure_idx" ON "measure_updates" USING btree ("measure_id","happened_on","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "measures_concept_code_uq" ON "measures" USING btree ("concept_id","code");--> statement-breakpoint
CREATE INDEX "measures_network_body_idx" ON "measures" USING btree ("network_id","body_id","code");--> statement-breakpoint
CREATE INDEX "measures_network_status_idx" ON "measures" USING btree ("network_id","status");--> statement-breakpoint
CREATE INDEX "measures_network_updated_idx" ON "measures" USING btree ("network_id","updated_at");--> statement-breakpoint
CREATE INDEX "measures_field_idx" ON "measures" USING btree ("field_id");--> statement-breakpoint
CREATE INDEX "measures_public_idx" ON "measures" USING btree ("network_id","is_public");--> statement-breakpoint
CREATE INDEX "measures_copied_from_idx" ON "measures" USING btree ("copied_from_id");--> statement-breakpoint
CREATE INDEX "measures_search_idx" ON "measures" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "record_links_pair_uq" ON "record_links" USING btree ("from_type","from_id","to_type","to_id");--> statement-breakpoint
CREATE INDEX "record_links_to_idx" ON "record_links" USING btree ("to_type","to_id");