-- case: docs_example_ok_post_pg_11
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10;

-- case: docs_example_error_on_pg_11 (snapshot only: SQL of docs_example_ok_post_pg_11, on PostgreSQL 10)
-- version: 10
-- expect: volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10;

-- case: docs_example_ok
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET DEFAULT 10;

-- case: default_uuid_error_multi_stmt
-- expect: volatile-default
alter table t set logged, add column c integer default uuid();

-- case: default_uuid_error
-- expect: volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT uuid();

-- case: default_volatile_func_err
-- expect: volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" boolean DEFAULT random();

-- case: default_bool_ok
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" boolean DEFAULT true;

-- case: default_str_ok
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" text DEFAULT 'some-str';

-- case: default_enum_ok
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" some_enum_type DEFAULT 'my-enum-variant';

-- case: default_jsonb_ok
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" jsonb DEFAULT '{}'::jsonb;

-- case: arbitrary_func_err
-- expect: volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" jsonb DEFAULT myjsonb();

-- case: default_func_now_ok
-- expect: none volatile-default
ALTER TABLE "core_recipe" ADD COLUMN "foo" timestamptz DEFAULT now();

-- case: add_numbers_ok
-- expect: none volatile-default
alter table account_metadata add column blah integer default 2 + 2;

-- case: generated_stored_err
-- expect: volatile-default
ALTER TABLE foo
ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED;
