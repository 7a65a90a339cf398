package dev.votingapp.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium (Debian packages chromium and chromium-driver), headless, with a fresh
 * profile and no background network traffic. Where it is not installed the test is skipped, unless
 * REQUIRE_BROWSER is set (CI sets it, and installs Chromium), so a JDK-only machine still passes.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final String CHROMIUM = env("CHROMIUM_BINARY", "/usr/bin/chromium");
  private static final String DRIVER = env("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver");

  private final Path profile;
  private final ChromeDriver driver;

  public HeadlessChromium() throws IOException {
    boolean installed = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
    if (!installed && System.getenv("REQUIRE_BROWSER") != null) {
      throw new IllegalStateException("REQUIRE_BROWSER is set but " + CHROMIUM + " or " + DRIVER + " is missing");
    }
    Assumptions.assumeTrue(installed, "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    profile = Files.createTempDirectory("chromium-profile-");
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic", "--window-size=1024,768", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Saves what the browser shows as {@code name}: in SCREENSHOTS_DIR when set (the README's pictures come
   * from {@code SCREENSHOTS_DIR=$PWD/docs/screenshots}), else in target/screenshots, to look at.
   */
  public void screenshot(String name) throws IOException {
    String dir = System.getenv("SCREENSHOTS_DIR");
    Path file = (dir == null || dir.isBlank() ? Path.of("target", "screenshots") : Path.of(dir)).resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * True once the ballot shows {@code option} as the vote (its button disabled); false until then, also
   * while a click's form submission is replacing the page.
   */
  public static boolean ballotMarks(WebDriver ballot, String option) {
    try {
      return !ballot.findElement(By.id(option)).isEnabled();
    } catch (StaleElementReferenceException | NoSuchElementException pageBeingReplaced) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
