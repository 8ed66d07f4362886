package dev.bascule.api;

import java.util.List;

/**
 * What the verifier found in one table.
 *
 * @param rowsChecked rows read
 * @param mismatched  rows that fail a check
 * @param examples    the first failures, each naming the row's key and the check ("(42): column email")
 */
public record VerifyResult(String table, long rowsChecked, long mismatched, List<String> examples) {
    public VerifyResult {
        examples = List.copyOf(examples);
    }

    public boolean ok() {
        return mismatched == 0;
    }
}
