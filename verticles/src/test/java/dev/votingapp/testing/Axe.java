package dev.votingapp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * axe-core on the page a browser shows: WCAG 2.0/2.1 A and AA plus best practices, zero violations, and
 * no sideways scrolling, at a desktop and a phone width.
 */
public final class Axe {

  private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");

  /** The widths every page state is checked at. */
  public static final Map<String, Dimension> WIDTHS = Map.of(
      "desktop", new Dimension(1000, 800),
      "phone", new Dimension(375, 740));

  private Axe() {
  }

  /** {@code state} names what the page shows, for the failure message. */
  public static void assertNoViolations(ChromeDriver browser, String state) {
    assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth;")).intValue())
        .as(state + ": no sideways scrolling").isLessThanOrEqualTo(0);
    Results results = new AxeBuilder().withTags(TAGS).analyze(browser);
    assertThat(results.isErrored()).as(state + ": axe ran").isFalse();
    assertThat(results.getPasses()).as(state + ": axe checked something").isNotEmpty();
    assertThat(results.getViolations().stream().map(Axe::describe).toList())
        .as(state + ": axe-core violations").isEmpty();
  }

  private static String describe(Rule rule) {
    return rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + ") at "
        + rule.getNodes().stream().map(CheckedNode::getTarget).map(String::valueOf).collect(Collectors.joining(", "));
  }
}
