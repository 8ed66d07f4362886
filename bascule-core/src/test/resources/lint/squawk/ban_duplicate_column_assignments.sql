-- Not covered by Bascule (left out): a CREATE VIEW or SELECT INTO whose SELECT list gives two columns one name
-- (create_view_with_duplicate_target_aliases_err, create_view_with_duplicate_inferred_names_err, select_into_err):
-- lint does not name a SELECT list's columns.

-- case: duplicate_assignment_err
-- expect: duplicate-column
drop table k;
create table k (
  a int,
  b int,
  c int
);
update k
set
  a = 1,
  a = 1,
  b = 2,
  c = 3;

-- case: fix_deletes_all_but_last_assignment
-- expect: duplicate-column
update k
set
  a = 1,
  b = 2,
  a = 3,
  a = 4,
  c = 5;

-- case: fix_preserves_comments_between_assignments
-- expect: duplicate-column
update k
set
  a = 1 /* some comment */,
  -- another comment
  b = 2,
  a = 3;

-- case: duplicate_multiple_column_assignment_err
-- expect: duplicate-column
update k
set
  (a, b) = (1, 2),
  a = 3;

-- case: whole_and_partial_assignment_err
-- expect: duplicate-column
create type k_record as (
  x int,
  y int
);
create table k (
  a k_record,
  b int,
  c int
);
update k
set
  a = row(1, 2),
  a.x = 1;

-- case: names_use_postgres_case_rules (unquoted)
-- expect: duplicate-column
update k
set
  a = 1,
  A = 2;

-- case: names_use_postgres_case_rules (quoted)
-- expect: duplicate-column
update k
set
  "a" = 1,
  a = 2;

-- case: names_use_postgres_truncation_rules
-- expect: duplicate-column
update k set aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaax = 1, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay = 2;

-- case: insert_err
-- expect: duplicate-column
insert into t (a, a)
values (1, 2);

-- case: merge_insert_err
-- expect: duplicate-column
merge into t
using s on t.id = s.id
when not matched then
  insert (a, a)
  values (1, 2);

-- case: create_table_err
-- expect: duplicate-column
create table t (
  a int,
  a text
);

-- case: create_foreign_table_err
-- expect: duplicate-column
create foreign table t (
  a int,
  a text
) server s;

-- case: create_view_err
-- expect: duplicate-column
create view v (a, a) as
select 1, 2;

-- case: conflict_update_err
-- expect: duplicate-column
insert into k
values (1)
on conflict (id)
do update
set
  a = 1,
  a = 2;

-- case: merge_update_err
-- expect: duplicate-column
merge into k
using j on k.id = j.id
when matched then
  update
  set
    a = 1,
    a = 2;

-- case: distinct_and_partial_assignments_ok
-- expect: none duplicate-column
update k
set
  a = 1,
  b = 2;
update k
set
  a.x = 1,
  a.y = 2;
update k
set
  a[1] = 1,
  a[2] = 2;
update k
set
  "A" = 1,
  A = 2;
insert into k (a, b)
values (1, 2);
create table t (
  a int,
  b int
);
create foreign table ft (
  a int,
  b int
) server s;
create view v (a, b) as
select 1 a, 2 a;
create view inferred_v as
select 1 a, 2 b;
select 1 a, 2 b into z;
insert into k (a.x, a.y)
values (1, 2);
merge into k
using j on k.id = j.id
when not matched then
  insert (a.x, a.y)
  values (1, 2);
