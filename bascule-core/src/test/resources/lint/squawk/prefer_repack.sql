-- case: cluster_err
-- expect: cluster
CLUSTER foo;

-- case: cluster_no_path_err
-- expect: cluster
CLUSTER;

-- case: vacuum_full_err
-- expect: vacuum-full
VACUUM FULL foo;

-- case: vacuum_full_option_list_err
-- expect: vacuum-full
VACUUM (FULL) foo;

-- case: vacuum_full_false_option_list_ok
-- expect: none vacuum-full
VACUUM (FULL FALSE) foo;

-- case: vacuum_no_full_ok
-- expect: none vacuum-full
VACUUM foo;

-- case: vacuum_analyze_ok
-- expect: none vacuum-full
VACUUM ANALYZE foo;

-- case: vacuum_freeze_ok
-- expect: none vacuum-full
VACUUM FREEZE foo;

-- case: fix_vacuum_full_multiple_tables
-- expect: vacuum-full
VACUUM FULL foo, bar;

-- case: fix_cluster_with_index
-- expect: cluster
CLUSTER foo USING foo_pkey;

-- case: fix_cluster_legacy_on_syntax
-- expect: cluster
CLUSTER verbose foo_pkey ON foo;
