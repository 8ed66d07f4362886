-- case: nullable_ok
-- expect: none not-null-without-default
ALTER TABLE "recipe" ADD COLUMN "public" boolean;

-- case: not_null_with_default
-- expect: none not-null-without-default
ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL DEFAULT true;

-- case: not_null_without_default
-- expect: not-null-without-default
ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL;

-- case: generated_stored_not_null_ok
-- expect: none not-null-without-default
ALTER TABLE foo
    ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED NOT NULL;

-- case: generated_stored_ok
-- expect: none not-null-without-default
 ALTER TABLE foo
    ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED ;
