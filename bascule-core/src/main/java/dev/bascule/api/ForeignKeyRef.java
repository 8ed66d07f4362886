package dev.bascule.api;

import java.util.List;
import java.util.Optional;

/** The referenced side of a foreign key. */
public record ForeignKeyRef(String table, List<String> columns, Optional<String> onDelete) {
}
