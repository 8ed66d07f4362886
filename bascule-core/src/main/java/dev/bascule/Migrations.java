package dev.bascule;

import dev.bascule.api.InputLimits;
import dev.bascule.api.InvalidMigrationException;
import dev.bascule.api.Migration;
import dev.bascule.model.MigrationFolder;
import dev.bascule.model.MigrationReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads migrations (YAML or JSON) from a file, a folder, a stream or a class-path resource, always
 * within {@link InputLimits}: a bad migration, or more bytes than the limits allow, throws
 * {@link InvalidMigrationException} naming where it came from.
 *
 * <pre>{@code
 * Migration m = Migrations.fromResource("db/migrations/0002_users_email.yaml");
 * bascule.start(m);
 * }</pre>
 */
public final class Migrations {
    private Migrations() {}

    /** Reads a migration file within the default limits (10 MiB); only a regular file is read. */
    public static Migration read(Path file) {
        return MigrationReader.read(file);
    }

    /** Reads a migration file of at most {@code limits.maxFileSize()} bytes. */
    public static Migration read(Path file, InputLimits limits) {
        return MigrationReader.read(file, limits);
    }

    /**
     * Reads a migration from {@code in} (not closed) within the default limits.
     *
     * @param name the name errors report; its extension ({@code .yaml}, {@code .yml}, {@code .json})
     *             chooses the format, and without a {@code name:} field the migration is named after it
     */
    public static Migration read(InputStream in, String name) {
        return read(in, name, InputLimits.DEFAULT);
    }

    /** Reads a migration of at most {@code limits.maxFileSize()} bytes from {@code in} (not closed). */
    public static Migration read(InputStream in, String name, InputLimits limits) {
        byte[] content;
        try {
            // one byte past the limit tells a stream that is too long without reading all of it
            content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileSize() + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
        if (content.length > limits.maxFileSize()) {
            throw new InvalidMigrationException(name, 1, 1, "", String.format(Locale.ROOT,
                    "the migration is more than %s, the limit for an input file", InputLimits.describe(limits.maxFileSize())));
        }
        return MigrationReader.read(name, content, limits);
    }

    /**
     * Reads a migration written out in code (a test, a demo) within the default limits. {@code name}
     * as for a stream, except that a name with no extension at all is read as YAML (which JSON text
     * also is): {@code fromText("0002_users_email", yaml)}.
     */
    public static Migration fromText(String name, String text) {
        String file = name.contains(".") ? name : name + ".yaml";
        return read(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), file);
    }

    /** Reads the class-path resource {@code resource} ({@code db/0002_users_email.yaml}), found by the thread's context class loader or else this library's. */
    public static Migration fromResource(String resource) {
        return fromResource(resource, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Migrations.class.getClassLoader());
    }

    /** Reads the resource {@code resource} of {@code loader} within the default limits. */
    public static Migration fromResource(String resource, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidMigrationException(resource, 1, 1, "", "no such class-path resource");
            }
            return read(in, resource, InputLimits.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * The migrations of {@code dir} in file-name order, every file read before anything runs; an
     * entry that is not a migration (a Flyway {@code V1__init.sql}, a subfolder) is refused, and so is
     * a folder of more files or bytes than {@code limits} allow (all are held until the run starts).
     */
    public static List<Migration> folder(Path dir, InputLimits limits) {
        List<Migration> migrations = new ArrayList<>();
        for (Path file : MigrationFolder.files(dir, limits)) {
            migrations.add(MigrationReader.read(file, limits));
        }
        return migrations;
    }
}
