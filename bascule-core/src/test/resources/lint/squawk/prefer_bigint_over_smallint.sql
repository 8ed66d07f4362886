-- Plain smallint/int2 columns that are neither a key nor a sequence are left out (not int-primary-key's
-- danger), and so are the serial arrays of fix_array_types (PostgreSQL has no array of serial).

-- case: fix_smallint_types, smallserial
-- expect: int-primary-key
create table users (id smallserial);

-- case: fix_smallint_types, serial2
-- expect: int-primary-key
create table users (id serial2);

-- case: fix_mixed_case, SmallSerial
-- expect: int-primary-key
create table users (id SmallSerial);

-- case: fix_mixed_case, SERIAL2
-- expect: int-primary-key
create table users (id SERIAL2);

-- case: fix_multiple_columns
-- expect: int-primary-key
create table users (id smallint, count int2, version smallserial);

-- case: fix_with_constraints
-- expect: int-primary-key
create table users (id smallserial primary key, score smallint not null);

-- case: err, smallserial and serial2
-- expect: int-primary-key
create table users (
    id smallserial
);
create table users (
    id serial2
);

-- case: ok, bigint int8 bigserial serial8
-- expect: none int-primary-key
create table users (
    id bigint
);
create table users (
    id int8
);
create table users (
    id bigserial
);
create table users (
    id serial8
);

-- case: ok, serial and serial4 (Bascule: 32-bit sequences; prefer_bigint_over_int reports them)
-- expect: int-primary-key
create table users (
    id serial
);
create table users (
    id serial4
);
