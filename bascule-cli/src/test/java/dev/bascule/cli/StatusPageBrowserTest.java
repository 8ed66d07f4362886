package dev.bascule.cli;

import dev.bascule.Bascule;
import dev.bascule.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.bascule.cli.SlowBackfill.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page in the system's headless Chromium: it shows a slow backfill advancing, and its
 * pause and resume buttons, given the token, reach the backfill running on another thread.
 */
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TOKEN = "page-token-0123";

    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        // .ci/run installs the browser and asks for it: there, a missing browser fails instead of skipping
        if (!installed && "1".equals(System.getenv("BASCULE_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("BASCULE_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        }
        assumeTrue(installed, "needs the Debian packages chromium and chromium-driver (.ci/run installs them)");
        profile = Files.createTempDirectory("bascule-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        // the driver is given, so Selenium Manager has nothing to look up or download (there is no internet)
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void progressAdvancesAndTheButtonsPauseAndResumeTheBackfill() throws Exception {
        try (TestSchema s = new TestSchema()) {
            s.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public"); // for the latency on the page
            try (SlowBackfill backfill = SlowBackfill.start(s, 12_000, 1_500);
                 RunningServe serve = RunningServe.on(s, Map.of(ServeCommand.TOKEN_ENV, TOKEN))) {
                Bascule facade = s.bascule().load();
                browser.get(serve.url("/"));
                until("the page to show the backfill of t", Duration.ofSeconds(30), () -> rowsShown() > 0);
                long first = rowsShown();
                String firstWidth = barWidth();
                until("the page to show more rows", Duration.ofSeconds(20), () -> rowsShown() > first);
                assertThat(barWidth()).isNotEqualTo(firstWidth);
                assertThat(text("migration")).isEqualTo(SlowBackfill.MIGRATION);
                assertThat(text("paused")).isIn("running", "throttled");
                String numbers = retry(() -> browser.findElement(By.cssSelector(".backfill[data-table='t'] .numbers")).getText());
                assertThat(numbers).contains("/ 12,000 rows").contains("rows/s").contains("ETA");
                assertThat(text("replication")).isEqualTo("no standby");
                assertThat(text("lock-waits")).isEqualTo("0");
                for (int i = 0; i < 20; i++) {
                    s.value("SELECT count(*) FROM t WHERE id > " + i); // the application's statements, as pg_stat_statements counts them
                }
                until("the page to show the application's latency", Duration.ofSeconds(10),
                        () -> text("latency").matches("\\d+\\.\\d{2} ms"));
                assertThat(text("latency-note")).contains("since the statistics were reset");

                WebElement pause = browser.findElement(By.id("pause-button"));
                assertThat(pause.isDisplayed()).isTrue();
                browser.findElement(By.id("token")).sendKeys("not-the-token");
                pause.click();
                until("the page to refuse the wrong token", Duration.ofSeconds(10), () -> text("control-result").equals("wrong token"));
                assertThat(facade.status().active().paused()).isFalse();

                browser.findElement(By.id("token")).clear();
                browser.findElement(By.id("token")).sendKeys(TOKEN);
                pause.click();
                until("the migration to be paused", Duration.ofSeconds(10), () -> facade.status().active().paused());
                until("the pause to reach the backfill", Duration.ofSeconds(20), () -> "paused".equals(backfill.throttleReason()));
                until("the page to show the pause", Duration.ofSeconds(10), () -> text("paused").equals("paused"));
                assertThat(text("pause-reason")).startsWith("paused by");
                long atPause = backfill.rowsDone();
                Thread.sleep(1_200); // a paused backfill does not move, nor does the page
                assertThat(backfill.rowsDone()).isEqualTo(atPause);
                assertThat(rowsShown()).isEqualTo(atPause);
                assertThat(atPause).isLessThan(12_000);

                browser.findElement(By.id("resume-button")).click();
                until("the migration to be resumed", Duration.ofSeconds(10), () -> !facade.status().active().paused());
                until("the page to show rows past the pause", Duration.ofSeconds(20), () -> rowsShown() > atPause);
                backfill.await(Duration.ofSeconds(60));
                until("the page to show the backfill finished", Duration.ofSeconds(10), () -> text("paused").equals("finished"));
                assertThat(rowsShown()).isEqualTo(12_000);
                assertThat(retry(() -> browser.findElement(By.cssSelector(".backfill[data-table='t'] .percent")).getText()))
                        .isEqualTo("100 %");
                assertThat(browser.findElements(By.cssSelector("#history tr"))).hasSize(1);
                assertThat(text("history")).contains(SlowBackfill.MIGRATION).contains("started");
            }
        }
    }

    @Test
    void withoutATokenThePageHasNoPauseButton() throws Exception {
        try (TestSchema s = new TestSchema(); RunningServe serve = RunningServe.on(s, Map.of())) {
            browser.get(serve.url("/"));
            until("the page's first update", Duration.ofSeconds(20), () -> text("updated").startsWith("updated"));
            assertThat(text("migration")).isEqualTo("no active migration");
            List<WebElement> buttons = browser.findElements(By.tagName("button"));
            assertThat(buttons).allSatisfy(b -> assertThat(b.isDisplayed()).isFalse());
            assertThat(browser.findElement(By.id("pause-button")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("token")).isDisplayed()).isFalse();
        }
    }

    private static long rowsShown() {
        return retry(() -> {
            List<WebElement> rows = browser.findElements(By.cssSelector(".backfill[data-table='t']"));
            return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).getAttribute("data-rows-done"));
        });
    }

    /** The progress bar's width, as the page set it. */
    private static String barWidth() {
        return retry(() -> browser.findElement(By.cssSelector(".backfill[data-table='t'] .fill")).getAttribute("style"));
    }

    private static String text(String id) {
        return retry(() -> browser.findElement(By.id(id)).getText());
    }

    /** The page replaces its elements every second: a read may hit one just detached. */
    private static <T> T retry(Supplier<T> read) {
        for (int i = 0; ; i++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (i == 5) {
                    throw e;
                }
            }
        }
    }
}
