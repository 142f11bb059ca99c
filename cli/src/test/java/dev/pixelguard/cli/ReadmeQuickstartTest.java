package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's quickstart runs exactly as written (issue 30). The commands are read from README itself: every
 * {@code ./pixelguard} line of the fenced blocks between {@code <!-- quickstart:begin -->} and
 * {@code <!-- quickstart:end -->}, run in order through the command line in-process, as from a fresh working
 * directory. README's two set-up commands are run by {@code .ci/run}; no other {@code ./pixelguard} command may
 * stand in README, so it cannot grow one that nothing runs.
 *
 * <p>The command line resolves relative paths against the JVM's working directory (here the cli module), so
 * each relative path argument is made absolute first: {@code ../X} against the repository's root, where README's
 * commands run; anything else ({@code adv.png}, {@code report/}) against the test's fresh directory, where the
 * outputs land and later commands read them.
 */
class ReadmeQuickstartTest {
  /** The repository's root: the cli module's parent, as surefire runs the tests in the module's directory. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static final Pattern COMMAND = Pattern.compile("\\./pixelguard(-spark)?[ \\t]+[a-z-]");
  private static final Pattern PATH_LIKE = Pattern.compile("[^:]*(/|\\.[A-Za-z][A-Za-z0-9]{1,4}$)[^:]*");
  private static final Pattern TOP_CLASS = Pattern.compile("(?m)^\\s*1\\.\\s+(.+?)\\s+[0-9.]+$");

  @TempDir Path dir;

  @Test
  void everyQuickstartCommandRunsAsWrittenAndTheSavedAdversarialIsAnotherClass() throws IOException {
    List<List<String>> commands = commands(region(readme(), "quickstart"));
    assertTrue(commands.size() >= 4, "README's quickstart holds " + commands.size() + " commands: " + commands);
    List<String> outputs = new ArrayList<>();
    for (List<String> command : commands) {
      Cli r = Cli.run(absolute(command).toArray(String[]::new));
      assertEquals(0, r.code(), "./pixelguard " + String.join(" ", command) + "\n" + r);
      outputs.add(r.out());
    }

    int attack = indexOf(commands, "attack");
    String adversarial = option(commands.get(attack), "--out");
    assertNotNull(adversarial, "the quickstart's attack writes its image with --out");
    assertTrue(Files.isRegularFile(dir.resolve(adversarial)), adversarial + " was not written");
    // The same image before the attack (predict with the attack's source options) and the saved PNG read back.
    List<String> source = new ArrayList<>(commands.get(attack).subList(1, commands.get(attack).size()));
    int out = source.indexOf("--out");
    source.subList(out, out + 2).clear();
    String before = null;
    String after = null;
    for (int i = 0; i < commands.size(); i++) {
      List<String> c = commands.get(i);
      if (c.get(0).equals("predict") && c.subList(1, c.size()).equals(source)) {
        before = topClass(outputs.get(i));
      } else if (c.get(0).equals("predict") && adversarial.equals(option(c, "--image"))) {
        after = topClass(outputs.get(i));
      }
    }
    assertNotNull(before, "the quickstart predicts the attacked image first: predict " + String.join(" ", source));
    assertNotNull(after, "the quickstart reads the adversarial back: predict --image " + adversarial);
    assertNotEquals(before, after, "the saved adversarial image is classified as the original");

    String report = option(commands.get(indexOf(commands, "evaluate")), "--report");
    assertNotNull(report, "the quickstart's evaluate writes a report");
    assertTrue(Files.isRegularFile(dir.resolve(report).resolve("index.html")), report + "index.html was not written");
  }

  @Test
  void readmeHoldsNoCommandOutsideItsSetupAndQuickstartBlocks() throws IOException {
    String rest = readme();
    for (String name : List.of("setup", "quickstart")) {
      rest = rest.replace(region(rest, name), "");
    }
    Matcher m = COMMAND.matcher(rest);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      int end = rest.indexOf('\n', m.start());
      found.add(rest.substring(m.start(), end < 0 ? rest.length() : end));
    }
    assertEquals(List.of(), found, "README commands outside the set-up and quickstart blocks are run by nothing: "
        + "move them to docs/ or into the quickstart");
  }

  private static String readme() throws IOException {
    Path file = ROOT.resolve("README.md");
    assertTrue(Files.isRegularFile(file), "no README at " + file);
    return Files.readString(file);
  }

  /** The text between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}, both markers included. */
  private static String region(String text, String name) {
    String begin = "<!-- " + name + ":begin -->";
    String end = "<!-- " + name + ":end -->";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    assertTrue(from >= 0 && to > from && text.indexOf(begin, from + 1) < 0,
        "README must hold one " + begin + " ... " + end + " block");
    return text.substring(from, to + end.length());
  }

  /** The arguments of each {@code ./pixelguard} line of the region's fenced blocks, split as a shell would. */
  private static List<List<String>> commands(String region) {
    List<List<String>> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : region.replace("\\\n", " ").split("\n")) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (fenced && line.startsWith("./pixelguard ")) {
        out.add(split(line.substring("./pixelguard ".length())));
      }
    }
    return out;
  }

  /** Words of a shell command line: whitespace separates, single and double quotes group, {@code #} comments. */
  private static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char ch : line.toCharArray()) {
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          word.append(ch);
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(ch)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (ch == '#' && word == null) {
        break;
      } else {
        word = (word == null ? new StringBuilder() : word).append(ch);
      }
    }
    assertEquals(0, quote, "unclosed quote in README command: " + line);
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /** The command with relative paths made absolute (see the class comment). */
  private List<String> absolute(List<String> command) {
    List<String> out = new ArrayList<>();
    for (String arg : command) {
      boolean path = !arg.startsWith("-") && PATH_LIKE.matcher(arg).matches() && !Path.of(arg).isAbsolute();
      out.add(!path ? arg : (arg.startsWith("../") ? ROOT : dir).resolve(arg).normalize().toString());
    }
    return out;
  }

  private static int indexOf(List<List<String>> commands, String name) {
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i).get(0).equals(name)) {
        return i;
      }
    }
    throw new AssertionError("README's quickstart has no " + name + " command: " + commands);
  }

  private static String option(List<String> command, String name) {
    int i = command.indexOf(name);
    return i < 0 || i + 1 >= command.size() ? null : command.get(i + 1);
  }

  private static String topClass(String predictOutput) {
    Matcher m = TOP_CLASS.matcher(predictOutput);
    assertTrue(m.find(), "no ranked classes in predict's output:\n" + predictOutput);
    return m.group(1);
  }
}
