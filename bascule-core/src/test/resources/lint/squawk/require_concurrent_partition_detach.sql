-- case: detach_partition_missing_concurrently_err
-- expect: detach-partition-not-concurrent
ALTER TABLE t DETACH PARTITION p;

-- case: detach_partition_concurrently_ok
-- expect: none detach-partition-not-concurrent
ALTER TABLE t DETACH PARTITION p CONCURRENTLY;

-- case: detach_partition_finalize_ok
-- expect: none detach-partition-not-concurrent
ALTER TABLE t DETACH PARTITION p FINALIZE;
