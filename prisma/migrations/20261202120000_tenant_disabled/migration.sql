-- Operators disable a tenant (docs/apps.md): its users and apps are refused while this is set.
-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3);
