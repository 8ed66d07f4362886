-- case: create_table_with_foreign_key_constraint
-- expect: none foreign-key-not-valid
BEGIN;
CREATE TABLE email (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id BIGINT,
    email TEXT,
    PRIMARY KEY(id),
    CONSTRAINT fk_user
        FOREIGN KEY ("user_id")
        REFERENCES "user" ("id")
);
COMMIT;

-- case: create_table_with_column_references
-- expect: none foreign-key-not-valid
CREATE TABLE table_name (
    id BIGSERIAL NOT NULL,
    my_fk_id INTEGER NOT NULL REFERENCES other_table (id) ON DELETE CASCADE
);

-- case: alter_table_foreign_key_assume_transaction
-- with: transaction
-- expect: none foreign-key-not-valid
CREATE TABLE "emails" ("id" UUID NOT NULL, "user_id" UUID NOT NULL);
ALTER TABLE "emails" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id");

-- case: alter_table_foreign_key_in_transaction
-- expect: none foreign-key-not-valid
BEGIN;
CREATE TABLE "emails" ("id" UUID NOT NULL, "user_id" UUID NOT NULL);
ALTER TABLE "emails" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id");
COMMIT;

-- case: add_foreign_key_constraint_not_valid_validate (Bascule: the VALIDATE in the NOT VALID's transaction buys nothing;
-- constraint_missing_not_valid reports the same statements)
-- expect: foreign-key-not-valid
BEGIN;
ALTER TABLE "email" ADD COLUMN "user_id" INT;
ALTER TABLE "email" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id") NOT VALID;
ALTER TABLE "email" VALIDATE CONSTRAINT "fk_user";
COMMIT;

-- case: add_foreign_key_constraint_lock
-- expect: foreign-key-not-valid
BEGIN;
ALTER TABLE "email" ADD COLUMN "user_id" INT;
ALTER TABLE "email" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id");
COMMIT;

-- case: add_column_references_lock
-- expect: foreign-key-not-valid
BEGIN;
ALTER TABLE "emails" ADD COLUMN "user_id" INT REFERENCES "user" ("id");
COMMIT;
