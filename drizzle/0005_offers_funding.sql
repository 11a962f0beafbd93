CREATE TYPE "public"."offer_kind" AS ENUM('consultancy', 'software', 'product', 'campaign', 'event', 'training', 'funding_programme');--> statement-breakpoint
CREATE TYPE "public"."price_model" AS ENUM('one_off', 'per_year', 'per_inhabitant', 'free');--> statement-breakpoint
CREATE TYPE "public"."recommendation" AS ENUM('yes', 'no', 'reservations');--> statement-breakpoint
CREATE TYPE "public"."application_state" AS ENUM('considering', 'preparing', 'submitted', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "offer_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"body_id" uuid,
	"partner_id" uuid,
	"effort" smallint NOT NULL,
	"benefit" smallint NOT NULL,
	"cost_eur" double precision,
	"recommend" "recommendation" NOT NULL,
	"experience" text DEFAULT '' NOT NULL,
	"assessed_on" date NOT NULL,
	"is_current" boolean DEFAULT true NOT NULL,
	"superseded_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offer_assessments_effort_ck" CHECK ("offer_assessments"."effort" BETWEEN 1 AND 5),
	CONSTRAINT "offer_assessments_benefit_ck" CHECK ("offer_assessments"."benefit" BETWEEN 1 AND 5),
	CONSTRAINT "offer_assessments_cost_ck" CHECK ("offer_assessments"."cost_eur" IS NULL OR "offer_assessments"."cost_eur" >= 0),
	CONSTRAINT "offer_assessments_assessor_ck" CHECK (("offer_assessments"."body_id" IS NULL) <> ("offer_assessments"."partner_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"title" text NOT NULL,
	"provider" text NOT NULL,
	"kind" "offer_kind" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_model" "price_model" NOT NULL,
	"cost_min" double precision,
	"cost_max" double precision,
	"url" text DEFAULT '' NOT NULL,
	"themes" "field_theme"[] DEFAULT '{}'::field_theme[] NOT NULL,
	"archived_at" timestamp with time zone,
	"discussed_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('german', coalesce("offers"."title", '') || ' ' || coalesce("offers"."provider", '')), 'A') || setweight(to_tsvector('german', coalesce("offers"."description", '')), 'B')) STORED,
	CONSTRAINT "offers_cost_range_ck" CHECK ("offers"."cost_min" IS NULL OR "offers"."cost_max" IS NULL OR "offers"."cost_min" <= "offers"."cost_max"),
	CONSTRAINT "offers_cost_nonneg_ck" CHECK (coalesce("offers"."cost_min", 0) >= 0 AND coalesce("offers"."cost_max", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "funding_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"window_id" uuid,
	"title" text DEFAULT '' NOT NULL,
	"state" "application_state" DEFAULT 'considering' NOT NULL,
	"requested_eur" double precision,
	"granted_eur" double precision,
	"submitted_on" date,
	"decided_on" date,
	"contact_person_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_applications_amounts_ck" CHECK (coalesce("funding_applications"."requested_eur", 0) >= 0 AND coalesce("funding_applications"."granted_eur", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "funding_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"title" text NOT NULL,
	"funder" text NOT NULL,
	"measure_number" text DEFAULT '' NOT NULL,
	"rate_percent" double precision,
	"rate_weak_percent" double precision,
	"eligible_costs" text DEFAULT '' NOT NULL,
	"eligibility" text DEFAULT '' NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"source_note" text DEFAULT '' NOT NULL,
	"archived_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_programmes_rate_ck" CHECK ("funding_programmes"."rate_percent" IS NULL OR ("funding_programmes"."rate_percent" >= 0 AND "funding_programmes"."rate_percent" <= 100)),
	CONSTRAINT "funding_programmes_rate_weak_ck" CHECK ("funding_programmes"."rate_weak_percent" IS NULL OR ("funding_programmes"."rate_weak_percent" >= 0 AND "funding_programmes"."rate_weak_percent" <= 100))
);
--> statement-breakpoint
CREATE TABLE "funding_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"programme_id" uuid NOT NULL,
	"opens_on" date,
	"closes_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_windows_order_ck" CHECK ("funding_windows"."opens_on" IS NULL OR "funding_windows"."opens_on" <= "funding_windows"."closes_on")
);
--> statement-breakpoint
CREATE TABLE "calendar_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "offer_assessments" ADD CONSTRAINT "offer_assessments_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_assessments" ADD CONSTRAINT "offer_assessments_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_assessments" ADD CONSTRAINT "offer_assessments_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_assessments" ADD CONSTRAINT "offer_assessments_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_assessments" ADD CONSTRAINT "offer_assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_programme_id_funding_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."funding_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_window_id_funding_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."funding_windows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_contact_person_id_people_id_fk" FOREIGN KEY ("contact_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_applications" ADD CONSTRAINT "funding_applications_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_programmes" ADD CONSTRAINT "funding_programmes_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_programmes" ADD CONSTRAINT "funding_programmes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_programmes" ADD CONSTRAINT "funding_programmes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_windows" ADD CONSTRAINT "funding_windows_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_windows" ADD CONSTRAINT "funding_windows_programme_id_funding_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."funding_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_tokens" ADD CONSTRAINT "calendar_tokens_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_tokens" ADD CONSTRAINT "calendar_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "offer_assessments_current_body_uq" ON "offer_assessments" USING btree ("offer_id","body_id") WHERE "offer_assessments"."is_current" AND "offer_assessments"."body_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "offer_assessments_current_partner_uq" ON "offer_assessments" USING btree ("offer_id","partner_id") WHERE "offer_assessments"."is_current" AND "offer_assessments"."partner_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "offer_assessments_offer_idx" ON "offer_assessments" USING btree ("offer_id","created_at");--> statement-breakpoint
CREATE INDEX "offer_assessments_network_current_idx" ON "offer_assessments" USING btree ("network_id","is_current");--> statement-breakpoint
CREATE INDEX "offers_network_title_idx" ON "offers" USING btree ("network_id","title");--> statement-breakpoint
CREATE INDEX "offers_network_kind_idx" ON "offers" USING btree ("network_id","kind");--> statement-breakpoint
CREATE INDEX "offers_search_idx" ON "offers" USING gin ("search");--> statement-breakpoint
CREATE INDEX "funding_applications_network_state_idx" ON "funding_applications" USING btree ("network_id","state");--> statement-breakpoint
CREATE INDEX "funding_applications_programme_idx" ON "funding_applications" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "funding_applications_body_idx" ON "funding_applications" USING btree ("body_id");--> statement-breakpoint
CREATE INDEX "funding_applications_window_idx" ON "funding_applications" USING btree ("window_id");--> statement-breakpoint
CREATE INDEX "funding_programmes_network_title_idx" ON "funding_programmes" USING btree ("network_id","title");--> statement-breakpoint
CREATE INDEX "funding_windows_network_closes_idx" ON "funding_windows" USING btree ("network_id","closes_on");--> statement-breakpoint
CREATE INDEX "funding_windows_programme_idx" ON "funding_windows" USING btree ("programme_id","closes_on");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_tokens_hash_uq" ON "calendar_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "calendar_tokens_user_idx" ON "calendar_tokens" USING btree ("network_id","user_id");