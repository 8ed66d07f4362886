-- case: err, ALTER VIEW
-- expect: rename-object
ALTER VIEW v RENAME TO v2;

-- case: err, ALTER MATERIALIZED VIEW
-- expect: rename-object
ALTER MATERIALIZED VIEW mv RENAME TO mv2;

-- case: err, ALTER FUNCTION
-- expect: rename-object
ALTER FUNCTION f() RENAME TO f2;

-- case: err, ALTER PROCEDURE
-- expect: rename-object
ALTER PROCEDURE p() RENAME TO p2;

-- case: err, ALTER TYPE RENAME TO
-- expect: rename-object
ALTER TYPE typ RENAME TO typ2;

-- case: err, ALTER SEQUENCE
-- expect: rename-object
ALTER SEQUENCE seq RENAME TO seq2;

-- case: err, ALTER SCHEMA
-- expect: rename-object
ALTER SCHEMA s RENAME TO s2;

-- case: err, ALTER DOMAIN
-- expect: rename-object
ALTER DOMAIN d RENAME TO d2;

-- case: err, ALTER INDEX (Bascule: code does not name indexes; renaming one breaks nothing that runs)
-- expect: none rename-object
ALTER INDEX i RENAME TO i2;

-- case: err, ALTER TYPE RENAME VALUE
-- expect: rename-object
ALTER TYPE typ RENAME VALUE 'a' TO 'b';

-- case: ok
-- expect: none rename-object
ALTER TABLE t RENAME TO t2; ALTER TABLE t RENAME COLUMN c TO d;
