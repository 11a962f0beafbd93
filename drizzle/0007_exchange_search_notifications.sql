CREATE TYPE "public"."notification_channel" AS ENUM('immediate', 'daily', 'weekly', 'none');--> statement-breakpoint
CREATE TABLE "exchange_mentions" (
	"post_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"network_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_mentions_post_id_user_id_pk" PRIMARY KEY("post_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "exchange_post_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"post_id" uuid NOT NULL,
	"body" text NOT NULL,
	"edited_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"thread_id" uuid NOT NULL,
	"author_id" text,
	"is_opening" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"hidden_by" text,
	"hidden_reason" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('german', coalesce("exchange_posts"."body", ''))) STORED
);
--> statement-breakpoint
CREATE TABLE "exchange_thread_follows" (
	"thread_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"network_id" uuid NOT NULL,
	"following" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_thread_follows_thread_id_user_id_pk" PRIMARY KEY("thread_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "exchange_threads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	"title" text NOT NULL,
	"author_id" text,
	"answer_post_id" uuid,
	"locked" boolean DEFAULT false NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_by" text,
	"hidden_reason" text DEFAULT '' NOT NULL,
	"reply_count" integer DEFAULT 0 NOT NULL,
	"last_post_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('german', coalesce("exchange_threads"."title", '')), 'A')) STORED
);
--> statement-breakpoint
CREATE TABLE "exchange_topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_digests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"frequency" "notification_channel" NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" "notification_channel" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_user_id_kind_pk" PRIMARY KEY("user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"excerpt" text DEFAULT '' NOT NULL,
	"url" text NOT NULL,
	"record_type" text,
	"record_id" uuid,
	"actor_id" text,
	"channel" "notification_channel" NOT NULL,
	"read_at" timestamp with time zone,
	"mailed_at" timestamp with time zone,
	"digest_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('german', coalesce("meetings"."title", '') || ' ' || coalesce("meetings"."venue_name", '')), 'A') || setweight(to_tsvector('german', coalesce("meetings"."description", '') || ' ' || coalesce("meetings"."minutes", '')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "exchange_mentions" ADD CONSTRAINT "exchange_mentions_post_id_exchange_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."exchange_posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_mentions" ADD CONSTRAINT "exchange_mentions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_mentions" ADD CONSTRAINT "exchange_mentions_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_post_revisions" ADD CONSTRAINT "exchange_post_revisions_post_id_exchange_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."exchange_posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_post_revisions" ADD CONSTRAINT "exchange_post_revisions_edited_by_users_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_posts" ADD CONSTRAINT "exchange_posts_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_posts" ADD CONSTRAINT "exchange_posts_thread_id_exchange_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."exchange_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_posts" ADD CONSTRAINT "exchange_posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_posts" ADD CONSTRAINT "exchange_posts_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_thread_follows" ADD CONSTRAINT "exchange_thread_follows_thread_id_exchange_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."exchange_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_thread_follows" ADD CONSTRAINT "exchange_thread_follows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_thread_follows" ADD CONSTRAINT "exchange_thread_follows_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_threads" ADD CONSTRAINT "exchange_threads_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_threads" ADD CONSTRAINT "exchange_threads_topic_id_exchange_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."exchange_topics"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_threads" ADD CONSTRAINT "exchange_threads_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_threads" ADD CONSTRAINT "exchange_threads_answer_post_id_exchange_posts_id_fk" FOREIGN KEY ("answer_post_id") REFERENCES "public"."exchange_posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_threads" ADD CONSTRAINT "exchange_threads_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_topics" ADD CONSTRAINT "exchange_topics_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_digests" ADD CONSTRAINT "notification_digests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_digest_id_notification_digests_id_fk" FOREIGN KEY ("digest_id") REFERENCES "public"."notification_digests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exchange_mentions_user_idx" ON "exchange_mentions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "exchange_post_revisions_post_idx" ON "exchange_post_revisions" USING btree ("post_id","created_at");--> statement-breakpoint
CREATE INDEX "exchange_posts_thread_created_idx" ON "exchange_posts" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "exchange_posts_network_created_idx" ON "exchange_posts" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE INDEX "exchange_posts_author_idx" ON "exchange_posts" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "exchange_posts_search_idx" ON "exchange_posts" USING gin ("search");--> statement-breakpoint
CREATE INDEX "exchange_thread_follows_user_idx" ON "exchange_thread_follows" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "exchange_threads_topic_last_idx" ON "exchange_threads" USING btree ("topic_id","last_post_at");--> statement-breakpoint
CREATE INDEX "exchange_threads_network_last_idx" ON "exchange_threads" USING btree ("network_id","last_post_at");--> statement-breakpoint
CREATE INDEX "exchange_threads_search_idx" ON "exchange_threads" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_topics_network_title_uq" ON "exchange_topics" USING btree ("network_id",lower("title"));--> statement-breakpoint
CREATE INDEX "exchange_topics_network_position_idx" ON "exchange_topics" USING btree ("network_id","position");--> statement-breakpoint
CREATE INDEX "notification_digests_user_idx" ON "notification_digests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_user_created_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_record_idx" ON "notifications" USING btree ("record_type","record_id");--> statement-breakpoint
CREATE INDEX "notifications_digest_idx" ON "notifications" USING btree ("digest_id");--> statement-breakpoint
CREATE INDEX "notifications_user_unread_idx" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_digest_pending_idx" ON "notifications" USING btree ("channel","created_at") WHERE "notifications"."mailed_at" is null and "notifications"."channel" in ('daily', 'weekly');--> statement-breakpoint
CREATE INDEX "meetings_search_idx" ON "meetings" USING gin ("search");