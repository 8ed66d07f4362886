package dev.bascule.example.v2;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/**
 * The release that needs the migration: it knows {@code users.full_name} and
 * {@code users.email_domain}. The starter expands its migration at start-up
 * ({@code release2.properties}) and puts its connections on the new version.
 */
@SpringBootApplication
@PropertySource("classpath:release2.properties")
public class NewRelease {
}
