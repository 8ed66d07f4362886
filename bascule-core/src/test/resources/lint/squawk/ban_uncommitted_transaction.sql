-- case: uncommitted_transaction_err
-- expect: uncommitted-transaction
BEGIN;
CREATE TABLE users (id bigint);

-- case: committed_transaction_ok
-- expect: none uncommitted-transaction
BEGIN;
CREATE TABLE users (id bigint);
COMMIT;

-- case: rolled_back_transaction_ok
-- expect: none uncommitted-transaction
BEGIN;
CREATE TABLE users (id bigint);
ROLLBACK;

-- case: no_transaction_ok
-- expect: none uncommitted-transaction
CREATE TABLE users (id bigint);

-- case: multiple_transactions_last_uncommitted_err
-- expect: uncommitted-transaction
BEGIN;
CREATE TABLE users (id bigint);
COMMIT;

BEGIN;
CREATE TABLE posts (id bigint);

-- case: start_transaction_uncommitted_err
-- expect: uncommitted-transaction
START TRANSACTION;
CREATE TABLE users (id bigint);

-- case: nested_begin_only_last_uncommitted_err (squawk: ok for this rule)
-- expect: none uncommitted-transaction
BEGIN;
BEGIN;
COMMIT;

-- case: nested_begin_only_last_uncommitted_err (the nested BEGIN: the COMMIT ends the outer transaction)
-- expect: nested-transaction
BEGIN;
BEGIN;
COMMIT;

-- case: begin_work_uncommitted_err
-- expect: uncommitted-transaction
BEGIN WORK;
CREATE TABLE users (id bigint);

-- case: fix_adds_commit_to_start_transaction
-- expect: uncommitted-transaction
START TRANSACTION;
CREATE TABLE posts (id bigint);
