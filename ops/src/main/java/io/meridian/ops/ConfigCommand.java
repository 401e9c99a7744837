package io.meridian.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the configuration a node started from this environment would run with, and the files it
 * comes from, so an operator sees what the layers of files, environment variables and system
 * properties add up to. Secrets never reach the output: credentials end up in terminals, tickets
 * and chat.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Prints the effective configuration of a node started from this environment (secrets"
            + " masked).")
public final class ConfigCommand implements Callable<Integer> {

  /** What is printed without {@code --all}: Meridian's own settings and the ones operators set. */
  static final List<String> SECTIONS =
      List.of(
          "meridian",
          "pekko.management",
          "pekko.cluster.seed-nodes",
          "pekko.remote.artery.canonical",
          "pekko.http.server");

  /** What a secret is printed as. */
  static final String MASK = "***";

  /** The static appkeys, whose keys are secrets and whose values (projects) are not. */
  private static final List<String> APPKEYS = List.of("meridian", "projects", "appkeys");

  /** Words naming a secret wherever they are in a key: {@code signing-secret}, {@code password}. */
  private static final Set<String> SECRET_WORDS =
      Set.of(
          "secret",
          "secrets",
          "password",
          "passwords",
          "passwd",
          "passphrase",
          "signing",
          "credential",
          "credentials",
          "appkeys",
          "apikey",
          "apikeys");

  /**
   * Words naming a secret when they end a key: {@code admin-token}, {@code api-key}; not {@code
   * token-ttl} or {@code key-cache-size}.
   */
  private static final Set<String> SECRET_LAST_WORDS = Set.of("token", "tokens", "key", "keys");

  /** Splits a key into words: at dashes, underscores, dots and lower-to-upper case changes. */
  private static final Pattern WORD_BOUNDARY =
      Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");

  @Option(names = "--all", description = "Print every setting, Pekko's and the libraries' too.")
  boolean all;

  @Option(
      names = "--origins",
      description =
          "Show where each value comes from: a file and line, or an environment variable.")
  boolean origins;

  @Option(names = "--json", description = "Print JSON instead of HOCON.")
  boolean json;

  @Spec CommandSpec spec;

  private final Supplier<NodeConfig.Sources> sources;

  /** Reads this process's environment, system properties and files. */
  public ConfigCommand() {
    this(NodeConfig.Sources::ofProcess);
  }

  /** Reads the given sources (tests). */
  public ConfigCommand(NodeConfig.Sources sources) {
    this(() -> sources);
  }

  private ConfigCommand(Supplier<NodeConfig.Sources> sources) {
    this.sources = sources;
  }

  @Override
  public Integer call() {
    NodeConfig.Loaded loaded;
    try {
      loaded = NodeConfig.load(sources.get(), ConfigFactory.empty());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("meridian config: " + e.getMessage());
      return 1;
    }
    ConfigObject printed = mask(all ? loaded.config().root() : sections(loaded.config()));
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? json(loaded, printed) : hocon(loaded, printed));
    out.flush();
    return 0;
  }

  /** The {@link #SECTIONS} of {@code config}. */
  static ConfigObject sections(Config config) {
    Config selected = ConfigFactory.empty();
    for (String section : SECTIONS) {
      if (config.hasPath(section)) {
        selected = selected.withValue(section, config.getValue(section));
      }
    }
    return selected.root();
  }

  private String hocon(NodeConfig.Loaded loaded, ConfigObject printed) {
    StringBuilder text = new StringBuilder();
    text.append("# Configuration of a Meridian node started here; secrets are shown as ")
        .append(MASK)
        .append(".\n");
    text.append("# Files read, each overriding the ones before:")
        .append(loaded.files().isEmpty() ? " none" : "")
        .append('\n');
    loaded.files().forEach(file -> text.append("#   ").append(file).append('\n'));
    if (!loaded.notFound().isEmpty()) {
      text.append("# Not found:\n");
      loaded.notFound().forEach(file -> text.append("#   ").append(file).append('\n'));
    }
    if (!loaded.variables().isEmpty()) {
      text.append("# Environment variables over the files: ")
          .append(String.join(", ", loaded.variables()))
          .append('\n');
    }
    if (!all) {
      text.append("# Sections ")
          .append(String.join(", ", SECTIONS))
          .append(" (--all prints every setting).\n");
    }
    text.append(
        printed.render(
            ConfigRenderOptions.defaults()
                .setJson(false)
                .setComments(false)
                .setOriginComments(origins)));
    return text.toString();
  }

  private String json(NodeConfig.Loaded loaded, ConfigObject printed) {
    Config document =
        ConfigFactory.empty()
            .withValue("files", paths(loaded.files()))
            .withValue("not-found", paths(loaded.notFound()))
            .withValue("environment-variables", ConfigValueFactory.fromIterable(loaded.variables()))
            .withValue("config", printed);
    if (origins) {
      Map<String, String> where = new TreeMap<>();
      printed
          .toConfig()
          .entrySet()
          .forEach(entry -> where.put(entry.getKey(), entry.getValue().origin().description()));
      document = document.withValue("origins", ConfigValueFactory.fromMap(where));
    }
    return document.root().render(ConfigRenderOptions.concise().setFormatted(true));
  }

  private static ConfigValue paths(List<Path> files) {
    return ConfigValueFactory.fromIterable(files.stream().map(Path::toString).toList());
  }

  /**
   * {@code root} with every secret replaced by {@link #MASK}: the value of any key {@link
   * #isSecret} names (a whole object or list if that is what it holds), and the keys of {@code
   * meridian.projects.appkeys}, which become {@code ***1}, {@code ***2}, ... next to their
   * projects.
   */
  static ConfigObject mask(ConfigObject root) {
    return maskObject(root, List.of());
  }

  /** Whether a key (one path element) names a secret, e.g. {@code admin-token}, {@code apiKey}. */
  static boolean isSecret(String key) {
    List<String> words =
        WORD_BOUNDARY
            .splitAsStream(key)
            .filter(word -> !word.isEmpty())
            .map(word -> word.toLowerCase(Locale.ROOT))
            .toList();
    return !words.isEmpty()
        && (words.stream().anyMatch(SECRET_WORDS::contains)
            || SECRET_LAST_WORDS.contains(words.get(words.size() - 1)));
  }

  private static ConfigObject maskObject(ConfigObject object, List<String> path) {
    ConfigObject masked = object;
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      List<String> childPath = new ArrayList<>(path);
      childPath.add(entry.getKey());
      masked = masked.withValue(entry.getKey(), maskValue(entry.getValue(), childPath));
    }
    return (ConfigObject) masked.withOrigin(object.origin());
  }

  private static ConfigValue maskValue(ConfigValue value, List<String> path) {
    if (path.equals(APPKEYS) && value instanceof ConfigObject appkeys) {
      return maskKeys(appkeys);
    }
    if (path.equals(APPKEYS) || isSecret(path.get(path.size() - 1))) {
      return ConfigValueFactory.fromAnyRef(MASK).withOrigin(value.origin());
    }
    return maskWithin(value, path);
  }

  /** The objects in {@code value}, however deep in lists, with their secrets masked. */
  private static ConfigValue maskWithin(ConfigValue value, List<String> path) {
    if (value instanceof ConfigObject object) {
      return maskObject(object, path);
    }
    if (value instanceof ConfigList list) {
      List<ConfigValue> items = new ArrayList<>();
      list.forEach(item -> items.add(maskWithin(item, path)));
      return ConfigValueFactory.fromIterable(items).withOrigin(list.origin());
    }
    return value;
  }

  /** The appkeys with each key masked and numbered, in the order of their projects. */
  private static ConfigObject maskKeys(ConfigObject appkeys) {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(appkeys.entrySet());
    entries.sort(
        Comparator.comparing(
            (Map.Entry<String, ConfigValue> entry) ->
                entry.getValue().render(ConfigRenderOptions.concise())));
    ConfigObject masked = ConfigFactory.empty().root();
    int number = 0;
    for (Map.Entry<String, ConfigValue> entry : entries) {
      ConfigValue project = entry.getValue();
      masked = masked.withValue(MASK + ++number, maskWithin(project, List.of("appkey")));
    }
    return (ConfigObject) masked.withOrigin(appkeys.origin());
  }
}
