-- A user's preference overrides per category and channel; a channel left NULL keeps the category's default.
CREATE TABLE "notification_preferences" (
    "user_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "in_app" BOOLEAN,
    "email" BOOLEAN,
    "web_push" BOOLEAN,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id","category")
);

ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
