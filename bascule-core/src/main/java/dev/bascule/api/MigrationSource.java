package dev.bascule.api;

import java.util.Map;

/**
 * Where a migration was read from and where each of its fields stands in the file, so that an
 * error found while planning (an unknown column, say) can name file, line and column.
 *
 * @param file      the file name as given by the user
 * @param positions JSON-pointer-like paths ({@code /operations/2/add_column/table}) to positions
 */
public record MigrationSource(String file, Map<String, Position> positions) {

    public record Position(int line, int column) {}

    public MigrationSource {
        positions = Map.copyOf(positions);
    }

    /** The position of {@code path}, or of its closest enclosing field that has one. */
    public Position locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Position pos = positions.get(p);
            if (pos != null) {
                return pos;
            }
            int cut = p.lastIndexOf('/');
            p = cut <= 0 ? "" : p.substring(0, cut);
        }
        return positions.getOrDefault("", new Position(1, 1));
    }

    /** The path of a field of operation {@code index}. */
    public static String fieldPath(int index, String kind, String field) {
        return "/operations/" + index + "/" + kind + (field.isEmpty() ? "" : "/" + field);
    }
}
