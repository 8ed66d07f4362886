package dev.bascule.test;

import dev.bascule.Migrations;
import dev.bascule.api.InputLimits;
import dev.bascule.api.Migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Reads a migration folder named as Flyway names its locations: {@code classpath:db/bascule} (a
 * folder of the class path, in a directory or a jar), {@code filesystem:path}, or a bare name
 * looked for on the class path, then as a path. The files ({@code .yaml}, {@code .yml},
 * {@code .json}) in file-name order, keyed by file name.
 */
final class MigrationLocations {
    private MigrationLocations() {}

    static TreeMap<String, Migration> read(String location, ClassLoader loader) {
        if (location.startsWith("filesystem:")) {
            return folder(Path.of(location.substring("filesystem:".length())));
        }
        boolean classpathOnly = location.startsWith("classpath:");
        String resource = (classpathOnly ? location.substring("classpath:".length()) : location).replaceAll("^/+|/+$", "");
        URL url = loader.getResource(resource);
        if (url == null) {
            if (!classpathOnly && Files.isDirectory(Path.of(location))) {
                return folder(Path.of(location));
            }
            // a jar written without directory entries hides its folders from the class loader
            throw new IllegalStateException("no migration folder " + location + (classpathOnly ? " on the class path" : "")
                    + " (a folder inside a jar is found by the jar's directory entry)");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return folder(Path.of(url.toURI()));
            }
            if ("jar".equals(url.getProtocol())) {
                return jar(url, resource);
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read " + url + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("cannot list the class-path folder " + url);
    }

    private static boolean isMigration(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    private static TreeMap<String, Migration> folder(Path dir) {
        TreeMap<String, Migration> out = new TreeMap<>();
        for (Migration m : Migrations.folder(dir, InputLimits.DEFAULT)) {
            out.put(fileName(m.source() != null ? m.source().file() : m.name()), m);
        }
        return out;
    }

    private static String fileName(String file) {
        String name = file.replace('\\', '/');
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static TreeMap<String, Migration> jar(URL url, String resource) throws IOException {
        TreeMap<String, Migration> out = new TreeMap<>();
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            String prefix = resource + "/";
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String rest = e.getName().startsWith(prefix) ? e.getName().substring(prefix.length()) : null;
                if (rest != null && !e.isDirectory() && !rest.contains("/") && isMigration(rest)) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.put(rest, Migrations.read(in, rest));
                    }
                }
            }
        }
        return out;
    }
}
