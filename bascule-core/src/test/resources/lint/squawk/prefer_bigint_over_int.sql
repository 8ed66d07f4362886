-- Bascule's int-primary-key covers 32-bit (and 16-bit) keys and sequences: serial types, int identity columns and
-- int primary keys. Plain integer columns that are neither (id integer, id int4 in the err test) are not its
-- danger and are left out.

-- case: err, serial
-- expect: int-primary-key
create table users (
    id serial
);

-- case: err, serial4
-- expect: int-primary-key
create table users (
    id serial4
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

-- case: ok, smallint int2 (plain columns)
-- expect: none int-primary-key
create table users (
    id smallint
);
create table users (
    id int2
);

-- case: ok, smallserial (Bascule: its sequence runs out at 32 767; prefer_bigint_over_smallint reports it)
-- expect: int-primary-key
create table users (
    id smallserial
);

-- case: ok, serial2 (as smallserial)
-- expect: int-primary-key
create table users (
    id serial2
);
