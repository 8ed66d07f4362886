-- case: reindex_table_no_concurrently_err
-- expect: reindex-not-concurrent
REINDEX TABLE foo;

-- case: reindex_index_no_concurrently_err
-- expect: reindex-not-concurrent
REINDEX INDEX foo;

-- case: reindex_schema_no_concurrently_err
-- expect: reindex-not-concurrent
REINDEX SCHEMA foo;

-- case: reindex_database_no_concurrently_err
-- expect: reindex-not-concurrent
REINDEX DATABASE foo;

-- case: reindex_table_concurrently_ok
-- expect: none reindex-not-concurrent
REINDEX TABLE CONCURRENTLY foo;

-- case: reindex_index_concurrently_ok
-- expect: none reindex-not-concurrent
REINDEX INDEX CONCURRENTLY foo;

-- case: reindex_options_concurrently_ok
-- expect: none reindex-not-concurrent
REINDEX (CONCURRENTLY) TABLE foo;

-- case: reindex_system_ok
-- expect: none reindex-not-concurrent
REINDEX SYSTEM mydb;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY true
-- expect: none reindex-not-concurrent
REINDEX (CONCURRENTLY true) INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY false
-- expect: reindex-not-concurrent
REINDEX (CONCURRENTLY false) INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY 'false'
-- expect: reindex-not-concurrent
REINDEX (CONCURRENTLY 'false') INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY E'false'
-- expect: reindex-not-concurrent
REINDEX (CONCURRENTLY E'false') INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY U&'false'
-- expect: reindex-not-concurrent
REINDEX (CONCURRENTLY U&'false') INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY off
-- expect: reindex-not-concurrent
REINDEX (CONCURRENTLY off) INDEX idx;

-- case: lock_kind_for_reindex_concurrently_options (require_timeout_settings): CONCURRENTLY 0
-- expect: reindex-not-concurrent
REINDEX (CONCURRENTLY 0) INDEX idx;
