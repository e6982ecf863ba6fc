-- CreateTable
CREATE TABLE "revoked_sessions" (
    "session_id" TEXT NOT NULL,
    "revoked_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "revoked_sessions_pkey" PRIMARY KEY ("session_id")
);

-- CreateIndex
CREATE INDEX "revoked_sessions_revoked_until_idx" ON "revoked_sessions"("revoked_until");
