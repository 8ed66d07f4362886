package dev.bascule.example.v2;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The release that needs the migration: it knows {@code users.full_name} and
 * {@code users.email_domain}. Its connections see the version schema Bascule published
 * ({@code Bascule.latest()}), named by {@code app.db-schema}.
 */
@SpringBootApplication
public class NewRelease {
}
