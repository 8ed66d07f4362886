package dev.bascule.example.v1;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The release in production before the migration: it knows {@code users.name}. Its connections
 * see the schema named by {@code app.db-schema} (see application.properties).
 */
@SpringBootApplication
public class OldRelease {
}
