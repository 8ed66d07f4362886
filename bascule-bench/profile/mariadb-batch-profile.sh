#!/bin/bash
# Times one 50,000-row batch of each kind on a 300,000-row orders table, no other load: pt-osc's
# copy chunk against the batch of Bascule's alter_column backfill, and the batch without each of
# its two costs (the sync trigger's TYPE OF variables, the instant column's first write).
# Run from the repository root after building the bench jar; uses 127.0.0.1:3306 as root.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$HERE/../target/bascule-bench.jar}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
D=bench_ptosc_prof
M="mysql -h127.0.0.1 -uroot"
t() { $M $D -N -e "SET @bascule_backfill = $1; SELECT NOW(6) INTO @t; $2; SELECT CONCAT(ROW_COUNT(), ' rows in ', TIMESTAMPDIFF(MICROSECOND, @t, NOW(6))/1e6, ' s')" | tail -1 | sed "s/^/$3: /"; }
$M -e "DROP DATABASE IF EXISTS $D; DROP DATABASE IF EXISTS ${D}_state; DROP DATABASE IF EXISTS ${D}_0001_orders_amount_bigint; CREATE DATABASE $D"
$M $D -e "CREATE TABLE orders (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id int, amount int NOT NULL, status varchar(20), created_at datetime(6), note varchar(200), KEY customer_id (customer_id)) ENGINE=InnoDB;
INSERT INTO orders SELECT seq, seq % 50000, (seq * 7919) % 1000000, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'closed'), TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND, CONCAT('order ', seq, ' ', REPEAT('x', 60)) FROM seq_1_to_300000;
CREATE TABLE _orders_new LIKE orders; ALTER TABLE _orders_new MODIFY amount BIGINT NOT NULL; ANALYZE TABLE orders"
java -cp "$JAR" "$HERE/StartWithoutBackfill.java" $D 2>/dev/null
TRIG=$($M $D -N -e "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$D' AND EVENT_MANIPULATION='UPDATE'")
$M $D -e "EXPLAIN UPDATE orders SET _bascule_new_amount = (amount) WHERE (id) > ('0') AND (id) <= ('50000')"
for r in 0 1; do
  a=$((r*50000)); b=$((a+50000))
  t NULL "INSERT LOW_PRIORITY IGNORE INTO _orders_new (id, customer_id, amount, status, created_at, note) SELECT id, customer_id, amount, status, created_at, note FROM orders FORCE INDEX(PRIMARY) WHERE id >= $((a+1)) AND id <= $b LOCK IN SHARE MODE" "pt-osc chunk (INSERT .. SELECT into the new table)"
  t 1 "UPDATE orders SET _bascule_new_amount = (amount) WHERE (id) > ('$a') AND (id) <= ('$b')" "Bascule batch as it is (instant shadow, sync trigger with TYPE OF)"
  t 1 "UPDATE orders SET _bascule_new_amount = (amount) + 1 WHERE (id) > ('$a') AND (id) <= ('$b')" "  the same rows again (shadow materialized): the trigger's share"
done
$M $D -N -e "SHOW CREATE TRIGGER $TRIG" | cut -f3 | sed 's/\\n/\n/g' > $WORK/trig.sql
$M $D -e "DROP TRIGGER $TRIG"
for r in 2 3; do
  a=$((r*50000)); b=$((a+50000))
  t 1 "UPDATE orders SET _bascule_new_amount = (amount) WHERE (id) > ('$a') AND (id) <= ('$b')" "no update trigger, instant shadow (materializing it)"
  t 1 "UPDATE orders SET _bascule_new_amount = (amount) + 1 WHERE (id) > ('$a') AND (id) <= ('$b')" "  no update trigger, shadow materialized"
done
sed -e 's/TYPE OF `[^`]*`\.`orders`\.`id`/bigint/; s/TYPE OF `[^`]*`\.`orders`\.`customer_id`/int/; s/TYPE OF `[^`]*`\.`orders`\.`_bascule_new_amount`/bigint/g; s/TYPE OF `[^`]*`\.`orders`\.`amount`/int/; s/TYPE OF `[^`]*`\.`orders`\.`status`/varchar(20)/; s/TYPE OF `[^`]*`\.`orders`\.`created_at`/datetime(6)/; s/TYPE OF `[^`]*`\.`orders`\.`note`/varchar(200)/' $WORK/trig.sql > $WORK/trig-concrete.sql
(printf 'DELIMITER //\n'; cat $WORK/trig-concrete.sql; printf '//\n') | $M $D
t 1 "UPDATE orders SET _bascule_new_amount = (amount) + 2 WHERE (id) > ('0') AND (id) <= ('50000')" "shadow materialized, the same trigger with the types written out (no TYPE OF)"
$M $D -e "DROP TRIGGER $TRIG"
(printf 'DELIMITER //\nCREATE TRIGGER %s BEFORE UPDATE ON orders FOR EACH ROW BEGIN IF @bascule_backfill IS NULL THEN SET NEW.note = NEW.note; END IF; END//\n' $TRIG) | $M $D
t 1 "UPDATE orders SET _bascule_new_amount = (amount) + 3 WHERE (id) > ('0') AND (id) <= ('50000')" "shadow materialized, a trigger with no DECLARE (its body in a procedure, say)"
$M $D -e "DROP TRIGGER $TRIG"
t NULL "ALTER TABLE orders FORCE, ALGORITHM=INPLACE, LOCK=NONE" "online rebuild of the whole 300,000-row table (materializes the shadow everywhere)"
$M -e "DROP DATABASE $D; DROP DATABASE IF EXISTS ${D}_state; DROP DATABASE IF EXISTS ${D}_0001_orders_amount_bigint"
