package dev.bascule.plan.operation;

import dev.bascule.api.ColumnDef;
import dev.bascule.dialect.Catalog;

import java.util.List;
import java.util.Optional;

/**
 * One alter_column, as complete swaps it in.
 *
 * @param column       the old physical column
 * @param notNullCheck the CHECK standing for NOT NULL until complete, or null
 * @param notNullLater where no check can stand for it, the shadow's definition NOT NULL, set
 *                     online before the swap (null when the shadow was added NOT NULL)
 * @param placeholderDefault the shadow was added NOT NULL with a placeholder default, dropped in the swap
 * @param primaryKey   the index built for the primary key (from) and the constraint's name (to)
 * @param uniques      indexes built for unique constraints and the constraints' names
 * @param incoming     foreign keys of other tables that point at the old column
 */
record Alteration(String column, String shadow, String upValue, String downValue, String newType, String notNullCheck,
                  ColumnDef notNullLater, boolean placeholderDefault, Optional<Rename> primaryKey, List<Rename> uniques, List<Rename> indexRenames,
                  List<Rename> constraintRenames, List<Catalog.ForeignKey> incoming,
                  Optional<Catalog.OwnedSequence> sequence, Optional<String> identity) {}
