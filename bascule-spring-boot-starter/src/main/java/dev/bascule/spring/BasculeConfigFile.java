package dev.bascule.spring;

import dev.bascule.BasculeConfig;
import dev.bascule.api.InvalidMigrationException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import java.io.IOException;

/** Finds and reads {@code bascule.yaml} for the starter. */
final class BasculeConfigFile {
    private BasculeConfigFile() {}

    /**
     * @param location {@code bascule.config}: a {@code classpath:} or {@code file:} location that must exist;
     *                 null: {@code bascule.yaml} in the working directory, else on the class path, else none
     */
    static BasculeConfig find(String location, ResourceLoader loader) {
        if (location != null && !location.isBlank()) {
            Resource r = loader.getResource(location);
            if (!r.exists()) {
                throw new InvalidMigrationException("bascule.config: " + location + " does not exist");
            }
            return read(location, r);
        }
        for (String candidate : new String[] {"file:" + BasculeConfig.FILE_NAME, "classpath:" + BasculeConfig.FILE_NAME}) {
            Resource r = loader.getResource(candidate);
            if (r.exists()) {
                return read(candidate, r);
            }
        }
        return BasculeConfig.empty();
    }

    private static BasculeConfig read(String name, Resource r) {
        try {
            return BasculeConfig.read(name, r.getInputStream(), System.getenv());
        } catch (IOException e) {
            throw new InvalidMigrationException("cannot read " + name + ": " + e.getMessage());
        }
    }
}
