package dev.bascule.spring;

import dev.bascule.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad {@code bascule.yaml} stops the application with Spring Boot's "APPLICATION FAILED TO START"
 * report naming file, line and key, as a bad property does, rather than a stack trace of bean creation.
 */
class ConfigFailureReportTest {
    @TempDir
    Path dir;

    @Test
    void aBadFileIsReportedByAFailureAnalyzerNamingFileLineAndKeyWithoutThePassword() throws Exception {
        Path file = dir.resolve("bascule.yaml");
        Files.writeString(file, "password: hunter2\nstart:\n  - batch_size: 5\n");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, BasculeAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + PostgresServer.jdbcUrl(), "spring.datasource.hikari.maximum-pool-size=1",
                        "bascule.locations=classpath:db/release1", "bascule.config=file:" + file)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    FailureAnalysis analysis = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                            .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.logging(
                                    org.apache.commons.logging.LogFactory.getLog(getClass())))
                            .stream().filter(a -> a.getClass().getPackageName().equals("dev.bascule.spring"))
                            .map(a -> a.analyze(failure)).filter(Objects::nonNull).findFirst().orElse(null);
                    assertThat(analysis).as("no Bascule failure analyzer for\n" + failure).isNotNull();
                    assertThat(analysis.getDescription()).contains(file + ":3:3: start").doesNotContain("hunter2")
                            .doesNotContain("Exception");
                    assertThat(analysis.getAction()).contains("bascule.yaml");
                });
    }
}
