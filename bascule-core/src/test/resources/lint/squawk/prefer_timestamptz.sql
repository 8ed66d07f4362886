-- case: fix_timestamp_to_timestamptz
-- expect: timestamp-without-time-zone
create table app.users
(
    created_ts   timestamp
);

-- case: fix_timestamp_without_time_zone
-- expect: timestamp-without-time-zone
create table app.accounts
(
    created_ts timestamp without time zone
);

-- case: fix_alter_table_timestamp
-- expect: timestamp-without-time-zone
alter table app.users
    alter column created_ts type timestamp;

-- case: fix_timestamp_array
-- expect: timestamp-without-time-zone
create table app.events
(
    timestamps timestamp[]
);

-- case: create_table_with_timestamp_err
-- expect: timestamp-without-time-zone
create table app.users
(
    created_ts   timestamp
);
create table app.accounts
(
    created_ts timestamp without time zone
);

-- case: alter_table_with_timestamp_err
-- expect: timestamp-without-time-zone
alter table app.users
    alter column created_ts type timestamp;
alter table app.accounts
    alter column created_ts type timestamp without time zone;

-- case: create_table_with_time_zone_ok
-- expect: none timestamp-without-time-zone
create table app.users
(
    created_ts   timestamptz
);
create table app.accounts
(
    created_ts timestamp with time zone
);
