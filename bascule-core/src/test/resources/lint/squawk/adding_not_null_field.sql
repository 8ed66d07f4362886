-- case: set_not_null (PostgreSQL 10)
-- version: 10
-- expect: set-not-null
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;

-- case: pg12_without_validated_check_err (snapshot only: SQL written here)
-- expect: set-not-null
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;

-- case: adding_field_that_is_not_nullable
-- expect: none set-not-null
BEGIN;
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10 NOT NULL;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" DROP DEFAULT;
COMMIT;

-- case: adding_field_that_is_not_nullable_without_default
-- expect: none set-not-null
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer NOT NULL;

-- case: adding_field_that_is_not_nullable_in_version_11
-- expect: none set-not-null
BEGIN;
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer NOT NULL DEFAULT 10;
COMMIT;

-- case: validated_check_then_set_not_null_ok (SQL written here: Bascule's NOT NULL recipe, the counterpart of the pg12 cases)
-- expect: none set-not-null
ALTER TABLE "core_recipe" ADD CONSTRAINT "foo_not_null" CHECK ("foo" IS NOT NULL) NOT VALID;
ALTER TABLE "core_recipe" VALIDATE CONSTRAINT "foo_not_null";
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;
ALTER TABLE "core_recipe" DROP CONSTRAINT "foo_not_null";

-- case: pg12_with_check_but_not_validated_err (snapshot only: SQL written here)
-- expect: set-not-null
ALTER TABLE "core_recipe" ADD CONSTRAINT "foo_not_null" CHECK ("foo" IS NOT NULL) NOT VALID;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;

-- case: pg12_with_different_column_validated_err (snapshot only: SQL written here)
-- expect: set-not-null
ALTER TABLE "core_recipe" ADD CONSTRAINT "bar_not_null" CHECK ("bar" IS NOT NULL) NOT VALID;
ALTER TABLE "core_recipe" VALIDATE CONSTRAINT "bar_not_null";
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;

-- case: pg12_cross_migration_unrelated_validate_err (snapshot only: SQL written here)
-- expect: set-not-null
ALTER TABLE "core_recipe" ADD CONSTRAINT "foo_not_null" CHECK ("foo" IS NOT NULL) NOT VALID;
ALTER TABLE "core_recipe" VALIDATE CONSTRAINT "other_constraint";
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;

-- case: pg11_cross_migration_validate_then_set_not_null_err (snapshot only: SQL written here; before 12 SET NOT NULL scans)
-- version: 11
-- expect: set-not-null
ALTER TABLE "core_recipe" ADD CONSTRAINT "foo_not_null" CHECK ("foo" IS NOT NULL) NOT VALID;
ALTER TABLE "core_recipe" VALIDATE CONSTRAINT "foo_not_null";
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;
