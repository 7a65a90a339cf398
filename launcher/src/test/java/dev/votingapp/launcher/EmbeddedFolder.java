package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The temporary folder of a {@code dev} process's embedded Redis and PostgreSQL, and what runs from it. */
final class EmbeddedFolder {

  private EmbeddedFolder() {
  }

  /** The folder the dev process names in its log. */
  static Path of(AppProcess dev) {
    Matcher folder = Pattern.compile("Embedded Redis and PostgreSQL running in (\\S+)$", Pattern.MULTILINE).matcher(dev.output());
    assertThat(folder.find()).as("the dev role names its folder in the log").isTrue();
    return Path.of(folder.group(1));
  }

  /** Live processes whose command line names the folder: the servers run binaries kept in it. */
  static List<ProcessHandle> processesUsing(Path folder) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(process -> process.info().commandLine().map(line -> line.contains(folder.toString())).orElse(false))
        .toList();
  }
}
