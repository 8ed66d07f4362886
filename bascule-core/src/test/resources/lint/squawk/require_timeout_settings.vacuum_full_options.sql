-- From require_timeout_settings.rs, lock_kind_for_vacuum_full_options: which VACUUM forms are a full vacuum.

-- case: VACUUM t
-- expect: none vacuum-full
VACUUM t;

-- case: VACUUM FULL t
-- expect: vacuum-full
VACUUM FULL t;

-- case: VACUUM (FULL) t
-- expect: vacuum-full
VACUUM (FULL) t;

-- case: VACUUM (FULL true) t
-- expect: vacuum-full
VACUUM (FULL true) t;

-- case: VACUUM (FULL false) t
-- expect: none vacuum-full
VACUUM (FULL false) t;

-- case: VACUUM (FULL 'false') t
-- expect: none vacuum-full
VACUUM (FULL 'false') t;

-- case: VACUUM (FULL E'false') t
-- expect: none vacuum-full
VACUUM (FULL E'false') t;

-- case: VACUUM (FULL U&'false') t
-- expect: none vacuum-full
VACUUM (FULL U&'false') t;

-- case: VACUUM (FULL off) t
-- expect: none vacuum-full
VACUUM (FULL off) t;

-- case: VACUUM (FULL 0) t
-- expect: none vacuum-full
VACUUM (FULL 0) t;
