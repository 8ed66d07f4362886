package dev.bascule.dialect.mysql;

import dev.bascule.dialect.Dialect;
import dev.bascule.dialect.TableRebuild;

import java.util.ArrayList;
import java.util.List;

/**
 * rebuild_table's shadow table: {@code CREATE TABLE .. LIKE} (columns, indexes, options, the
 * AUTO_INCREMENT attribute), the counter, then one ALTER of the empty copy with the new options and
 * keys. Syntax both MariaDB and MySQL 8 take: character set and collation names as string
 * literals, no {@code IF EXISTS} on indexes (the copy is made anew on a rerun instead).
 */
final class MySqlTableRebuild extends MySqlRole {

    MySqlTableRebuild(Dialect dialect) {
        super(dialect);
    }

    /**
     * The copy is dropped first: a rerun after the ALTER would find its keys already changed, and
     * the copy holds no row yet (the copy triggers come in a later step). The ALTER copies an
     * empty table, so ALGORITHM=COPY costs nothing; all keys change in one statement, so an
     * AUTO_INCREMENT primary key is never left without its key.
     */
    List<String> createRebuiltTable(String schema, String table, String shadow, TableRebuild r, String copyAutoIncrement) {
        List<String> sql = new ArrayList<>();
        sql.add("DROP TABLE IF EXISTS " + qualify(schema, shadow));
        sql.add("CREATE TABLE " + qualify(schema, shadow) + " LIKE " + qualify(schema, table));
        sql.add(copyAutoIncrement);
        List<String> clauses = new ArrayList<>();
        r.engine().ifPresent(e -> clauses.add("ENGINE = " + literal(e)));
        r.charset().ifPresent(cs -> clauses.add("CONVERT TO CHARACTER SET " + literal(cs)
                + r.collation().map(co -> " COLLATE " + literal(co)).orElse("")));
        r.rowFormat().ifPresent(f -> clauses.add("ROW_FORMAT = " + f));
        r.dropIndex().ifPresent(ix -> clauses.add("DROP INDEX " + quote(ix)));
        if (r.dropPrimaryKey()) {
            clauses.add("DROP PRIMARY KEY");
        }
        if (!r.primaryKey().isEmpty()) {
            clauses.add("ADD PRIMARY KEY (" + quoteAll(r.primaryKey()) + ")");
        }
        r.previousKey().ifPresent(name -> clauses.add("ADD UNIQUE KEY " + quote(name) + " (" + quoteAll(r.previousColumns()) + ")"));
        // nothing to change: the copy alone rebuilds the table (reclaims its space), as ENGINE=InnoDB would
        if (!clauses.isEmpty()) {
            sql.add("ALTER TABLE " + qualify(schema, shadow) + " " + String.join(", ", clauses) + ", ALGORITHM=COPY");
        }
        return sql;
    }
}
