#!/bin/bash
# Times the shadow-table copy statement and its variants, 250,000 rows in 50,000-row chunks under
# READ COMMITTED (as the backfill's batches run), each into an empty copy of the table, no other
# load: pt-osc's chunk, Bascule's two statements (the locking read, then the copy), the copy with
# ON DUPLICATE KEY UPDATE or IGNORE alone, the copy without its shared lock, unique_checks = 0, and
# a shadow without its secondary index. Prints microseconds per row; twice, to show the noise.
# Uses 127.0.0.1:3306 as root.
set -e
D=bench_copyprof
M="mariadb -h127.0.0.1 -uroot"
$M -e "DROP DATABASE IF EXISTS $D; CREATE DATABASE $D"
$M $D -e "CREATE TABLE orders (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id int, amount int NOT NULL, status varchar(20), created_at datetime(6), note varchar(200), KEY customer_id (customer_id)) ENGINE=InnoDB;
INSERT INTO orders SELECT seq, seq % 50000, (seq * 7919) % 1000000, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'closed'), TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND, CONCAT('order ', seq, ' ', REPEAT('x', 60)) FROM seq_1_to_300000;
CREATE TABLE s LIKE orders; ALTER TABLE s MODIFY amount BIGINT NOT NULL; CREATE TABLE s_noix LIKE s; ALTER TABLE s_noix DROP KEY customer_id; ANALYZE TABLE orders" >/dev/null
C="id, customer_id, amount, status, created_at, note"
ODKU="ON DUPLICATE KEY UPDATE id=VALUES(id), customer_id=VALUES(customer_id), amount=VALUES(amount), status=VALUES(status), created_at=VALUES(created_at), note=VALUES(note)"
run() { # name, setup, per-chunk statements with @a @b
  local name="$1" pre="$2" body="$3" tbl="${4:-s}"
  $M $D -e "TRUNCATE $tbl"
  local sql="SET SESSION tx_isolation='READ-COMMITTED'; $pre; SET autocommit=0; SELECT NOW(6) INTO @t0;"
  for r in 0 1 2 3 4; do a=$((r*50000)); b=$((a+50000)); sql="$sql SET @a=$a, @b=$b; ${body//@T/$tbl}; COMMIT;"; done
  sql="$sql SELECT TIMESTAMPDIFF(MICROSECOND, @t0, NOW(6))/250000 AS us_per_row;"
  echo "$name: $($M $D -N -e "$sql" | tail -1) us/row"
}
for rep in 1 2; do
run "pt-osc chunk" "" "INSERT LOW_PRIORITY IGNORE INTO @T ($C) SELECT $C FROM orders FORCE INDEX(PRIMARY) WHERE id > @a AND id <= @b LOCK IN SHARE MODE"
run "bascule now (read + copy ODKU)" "" "DO (SELECT count(*) FROM (SELECT 1 FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE) x); INSERT INTO @T ($C) SELECT $C FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE $ODKU"
run "copy ODKU only" "" "INSERT INTO @T ($C) SELECT $C FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE $ODKU"
run "copy IGNORE only" "" "INSERT IGNORE INTO @T ($C) SELECT $C FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE"
run "read + copy ODKU, copy without lock" "" "DO (SELECT count(*) FROM (SELECT 1 FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE) x); INSERT INTO @T ($C) SELECT $C FROM orders WHERE id > @a AND id <= @b $ODKU"
run "bascule now, unique_checks=0" "SET unique_checks=0" "DO (SELECT count(*) FROM (SELECT 1 FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE) x); INSERT INTO @T ($C) SELECT $C FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE $ODKU"
run "bascule now, no secondary index" "" "DO (SELECT count(*) FROM (SELECT 1 FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE) x); INSERT INTO @T ($C) SELECT $C FROM orders WHERE id > @a AND id <= @b LOCK IN SHARE MODE $ODKU" s_noix
done
$M -e "DROP DATABASE $D"
