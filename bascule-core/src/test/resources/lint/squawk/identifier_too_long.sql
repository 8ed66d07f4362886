-- case: create_table_long_name_err
-- expect: identifier-too-long
create table table_very_long_very_long_very_long_very_long_very_long_very_long (column_very_long_very_long_very_long_very_long_very_long_very_long bigint);

-- case: create_table_ok
-- expect: none identifier-too-long
create table short_name (col bigint);

-- case: create_index_long_name_err
-- expect: identifier-too-long
create index index_very_long_very_long_very_long_very_long_very_long_very_long on t (col);

-- case: drop_table_long_name_err
-- expect: identifier-too-long
drop table table_very_long_very_long_very_long_very_long_very_long_very_long;

-- case: alter_table_add_column_long_name_err
-- expect: identifier-too-long
alter table t add column column_very_long_very_long_very_long_very_long_very_long_very_long bigint;

-- case: quoted_identifier_long_err
-- expect: identifier-too-long
create table "table_very_long_very_long_very_long_very_long_very_long_very_long" (id bigint);

-- case: multibyte_emoji_err
-- expect: identifier-too-long
create table "👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦" (id bigint);

-- case: quoted_identifier_with_escaped_quotes_message_unescapes_quotes
-- expect: identifier-too-long
create table "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""b" (id bigint);

-- case: exactly_63_bytes_ok
-- expect: none identifier-too-long
create table table_very_long_very_long_very_long_very_long_very_long_very_lo (id bigint);
