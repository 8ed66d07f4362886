-- case: fix_char_without_length, char
-- expect: char-type
CREATE TABLE t (c char);

-- case: fix_char_without_length, character
-- expect: char-type
CREATE TABLE t (c character);

-- case: fix_char_without_length, bpchar
-- expect: char-type
CREATE TABLE t (c bpchar);

-- case: fix_char_with_length, char(100)
-- expect: char-type
CREATE TABLE t (c char(100));

-- case: fix_char_with_length, character(255)
-- expect: char-type
CREATE TABLE t (c character(255));

-- case: fix_char_with_length, bpchar(50)
-- expect: char-type
CREATE TABLE t (c bpchar(50));

-- case: fix_char_with_length, "bpchar"(50) (the catalog's own name, quoted, is the same type)
-- expect: char-type
CREATE TABLE t (c "bpchar"(50));

-- case: fix_mixed_case, CHAR
-- expect: char-type
CREATE TABLE t (c CHAR);

-- case: fix_mixed_case, CHARACTER(100)
-- expect: char-type
CREATE TABLE t (c CHARACTER(100));

-- case: fix_array_types, char[]
-- expect: char-type
CREATE TABLE t (c char[]);

-- case: fix_array_types, character(100)[]
-- expect: char-type
CREATE TABLE t (c character(100)[]);

-- case: fix_alter_table, char
-- expect: char-type
ALTER TABLE t ADD COLUMN c char;

-- case: fix_alter_table, character(100)
-- expect: char-type
ALTER TABLE t ADD COLUMN c character(100);

-- case: creating_table_with_char_errors
-- expect: char-type
CREATE TABLE "core_bar" (
    "id" serial NOT NULL PRIMARY KEY,
    "alpha" char(100) NOT NULL,
    "beta" character(100) NOT NULL,
    "charlie" char NOT NULL,
    "delta" character NOT NULL
);

-- case: creating_table_with_var_char_and_text_okay
-- expect: none char-type
CREATE TABLE "core_bar" (
    "id" serial NOT NULL PRIMARY KEY,
    "alpha" varchar(100) NOT NULL,
    "beta" text NOT NULL
);

-- case: all_the_types
-- expect: char-type
create table t (
    a serial not null primary key,
    b char(100),
    c character(100),
    d char,
    e character,
    f double precision,
    g time with time zone,
    h interval,
    j int[5][10],
    k bar(10),
    l bit varying,
    m int array[],
    o pg_catalog.char,
    p char[]
);

-- case: case_insensitive
-- expect: char-type
create table t (
  a Char
);

-- case: array_char_type_err
-- expect: char-type
create table t (
  a char[]
);

-- case: alter_table_err
-- expect: char-type
alter table t add column c char;
