package dev.bascule.example.v1;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/**
 * The release in production before the migration: it knows {@code users.name}. The starter
 * migrates its files ({@code release1.properties}) and keeps its connections on its version.
 */
@SpringBootApplication
@PropertySource("classpath:release1.properties")
public class OldRelease {
}
