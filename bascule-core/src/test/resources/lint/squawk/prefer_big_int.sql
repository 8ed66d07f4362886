-- From the older prefer_big_int.rs (squawk before the rule was split); plain integer columns are left out.

-- case: err, serial
-- expect: int-primary-key
create table users (
    id serial
);

-- case: err, serial2
-- expect: int-primary-key
create table users (
    id serial2
);

-- case: err, serial4
-- expect: int-primary-key
create table users (
    id serial4
);

-- case: err, smallserial
-- expect: int-primary-key
create table users (
    id smallserial
);

-- case: ok
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

-- case: create_table_many_err
-- expect: int-primary-key
create table users (
    foo integer,
    bar serial
);
