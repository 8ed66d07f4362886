package dev.bascule.plan;

import dev.bascule.api.Operation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bascule names its own objects with {@value #PREFIX}: shadow tables and columns
 * ({@code _bascule_new_*}), retired tables ({@code _bascule_old_*}), deprecated tables and columns,
 * triggers, and the {@code _bascule_reads} table of every version. A table, column, index or
 * constraint a migration names so could collide with one of them in the middle of start, or be
 * taken for one of them (and skipped, dropped) later; so no migration may create such a name.
 * Case is ignored: MariaDB compares column and index names without it.
 */
final class ReservedNames {
    static final String PREFIX = "_bascule";

    private ReservedNames() {}

    static boolean reserved(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /** The names {@code op} gives to new tables, columns, indexes and constraints, by field (under the operation). */
    static Map<String, String> created(Operation op) {
        Map<String, String> names = new LinkedHashMap<>();
        if (op instanceof Operation.CreateTable ct) {
            names.put("name", ct.name());
            for (int c = 0; c < ct.columns().size(); c++) {
                names.put("columns/" + c + "/name", ct.columns().get(c).name());
            }
            for (int c = 0; c < ct.constraints().size(); c++) {
                names.put("constraints/" + c + "/name", ct.constraints().get(c).name());
            }
        } else if (op instanceof Operation.RenameTable rt) {
            names.put("to", rt.to());
        } else if (op instanceof Operation.AddColumn ac) {
            names.put("column/name", ac.column().name());
        } else if (op instanceof Operation.RenameColumn rc) {
            names.put("to", rc.to());
        } else if (op instanceof Operation.CreateIndex ci) {
            names.put("name", ci.name());
        } else if (op instanceof Operation.AddForeignKey fk) {
            fk.name().ifPresent(n -> names.put("name", n));
        } else if (op instanceof Operation.AddCheck ck) {
            names.put("name", ck.name());
        } else if (op instanceof Operation.SplitTable st) {
            for (int p = 0; p < st.into().size(); p++) {
                names.put("into/" + p + "/name", st.into().get(p).name());
            }
        } else if (op instanceof Operation.MergeTables mt) {
            names.put("into/name", mt.into().name());
        }
        return names;
    }
}
