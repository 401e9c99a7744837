package io.meridian.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Loads a node's configuration in layers, highest precedence first:
 *
 * <ol>
 *   <li>{@code -D} system properties;
 *   <li>the caller's overrides (the embedded Cassandra's contact point);
 *   <li>environment variables: every setting whose default in {@code application.conf} or a {@code
 *       reference.conf} is a {@code ${?VAR}} of a variable that is set, and the list-valued
 *       variables below;
 *   <li>local overrides, each over the ones before: {@code meridian.<host>.local.conf} and {@code
 *       local.conf} next to the main file, then {@code local.conf} in the working directory;
 *   <li>the main file: {@code /etc/meridian/meridian.conf}, or the one {@code MERIDIAN_CONFIG} or
 *       {@code -Dmeridian.config.file} names;
 *   <li>{@code application.conf} and the files it includes;
 *   <li>the libraries' {@code reference.conf}.
 * </ol>
 *
 * <p>A {@code key = ${?VAR}} line is resolved where it is written, so a file layered above {@code
 * application.conf} would replace the variable's value with its own. The variables therefore get
 * their own layer: the settings whose default is exactly one variable that is set are found by
 * resolving each default on its own against markers standing for the variables, and take the
 * variable's value above the files. Copies such as {@code journal.keyspace =
 * ${meridian.cassandra.keyspace}} are not such settings; they follow the value they copy.
 *
 * <p>HOCON cannot split a variable into a list: the list-valued variables are split here, most at
 * commas, JVM options at spaces since an option may hold a comma.
 */
public final class NodeConfig {

  /** The main file when neither {@link #MAIN_FILE_VARIABLE} nor {@link #MAIN_FILE_PROPERTY} is. */
  public static final Path DEFAULT_MAIN_FILE = Path.of("/etc/meridian/meridian.conf");

  /** Environment variable naming the main file. */
  public static final String MAIN_FILE_VARIABLE = "MERIDIAN_CONFIG";

  /** System property naming the main file, over {@link #MAIN_FILE_VARIABLE}. */
  public static final String MAIN_FILE_PROPERTY = "meridian.config.file";

  /** Local override files next to the main file and in the working directory. */
  static final String LOCAL_FILE = "local.conf";

  /** An environment variable holding a list: the setting it replaces, what separates its items. */
  private record ListVariable(String setting, String separator) {}

  /** The list-valued environment variables. */
  private static final Map<String, ListVariable> LIST_VARIABLES =
      Map.of(
          "MERIDIAN_SEED_NODES", new ListVariable("pekko.cluster.seed-nodes", ","),
          "MERIDIAN_CASSANDRA_CONTACT_POINTS",
              new ListVariable("meridian.cassandra.contact-points", ","),
          "MERIDIAN_CASSANDRA_JVM_OPTS",
              new ListVariable("meridian.cassandra.embedded.jvm-options", "\\s+"));

  /** What a variable resolves to while looking for settings that are one variable. */
  private static final String MARKER = "\u0000meridian-env:";

  /**
   * What a node's configuration is read from: the process's, or stand-ins in tests.
   *
   * @param environment the environment variables
   * @param systemProperties the {@code -D} layer
   * @param defaultMainFile the main file when none is named
   * @param workingDirectory where the last {@code local.conf} is looked for
   * @param hostname names {@code meridian.<hostname>.local.conf}; none: that file is not looked for
   */
  public record Sources(
      Map<String, String> environment,
      Config systemProperties,
      Path defaultMainFile,
      Path workingDirectory,
      Optional<String> hostname) {

    /** This process's: its environment, system properties, working directory and host name. */
    public static Sources ofProcess() {
      return new Sources(
          System.getenv(),
          ConfigFactory.defaultOverrides(),
          DEFAULT_MAIN_FILE,
          Path.of("").toAbsolutePath(),
          localHostname());
    }

    /** These sources with other environment variables. */
    public Sources withEnvironment(Map<String, String> environment) {
      return new Sources(
          environment, systemProperties, defaultMainFile, workingDirectory, hostname);
    }
  }

  /**
   * A node's configuration and what it came from.
   *
   * @param config the resolved configuration
   * @param files the files read, lowest precedence first
   * @param notFound the files looked for that do not exist
   * @param variables the environment variables that set a setting of their own
   */
  public record Loaded(
      Config config, List<Path> files, List<Path> notFound, List<String> variables) {}

  private NodeConfig() {}

  /** The configuration of a node started from this process's environment. */
  public static Config load() {
    return load(Sources.ofProcess(), ConfigFactory.empty()).config();
  }

  /**
   * The configuration from {@code environment} and this process's files and system properties, with
   * {@code overrides} over everything but the system properties.
   */
  public static Config load(Map<String, String> environment, Config overrides) {
    return load(Sources.ofProcess().withEnvironment(environment), overrides).config();
  }

  /** The configuration from {@code sources}, with {@code overrides} below the system properties. */
  public static Loaded load(Sources sources, Config overrides) {
    Map<String, String> environment = sources.environment();
    List<Path> files = new ArrayList<>();
    List<Path> notFound = new ArrayList<>();
    Config fileLayers = ConfigFactory.empty();
    for (Path file : candidateFiles(sources)) {
      if (Files.isRegularFile(file)) {
        fileLayers = parse(file).withFallback(fileLayers);
        files.add(file);
      } else {
        notFound.add(file);
      }
    }
    Config defaults =
        ConfigFactory.defaultApplication().withFallback(ConfigFactory.defaultReferenceUnresolved());
    VariableLayer variables = variableLayer(defaults, environment);
    Config config =
        sources
            .systemProperties()
            .withFallback(overrides)
            .withFallback(variables.config())
            .withFallback(fileLayers)
            .withFallback(defaults)
            .resolve(
                ConfigResolveOptions.noSystem()
                    .appendResolver(new VariableResolver(environment, false)));
    return new Loaded(config, List.copyOf(files), List.copyOf(notFound), variables.names());
  }

  /** The settings environment variables set, and the names of those variables. */
  private record VariableLayer(Config config, List<String> names) {}

  /**
   * The settings of {@code defaults} that are a {@code ${?VAR}} of a variable in {@code
   * environment}, and the list-valued variables, each value with its variable as its origin.
   */
  private static VariableLayer variableLayer(Config defaults, Map<String, String> environment) {
    Map<String, Object> settings = new HashMap<>();
    Set<String> names = new TreeSet<>();
    settingsFromVariables(defaults, environment.keySet())
        .forEach(
            (setting, name) -> {
              settings.put(
                  setting, ConfigValueFactory.fromAnyRef(environment.get(name), origin(name)));
              names.add(name);
            });
    LIST_VARIABLES.forEach(
        (name, list) -> {
          String value = environment.get(name);
          if (value != null) {
            settings.put(
                list.setting(),
                ConfigValueFactory.fromIterable(split(value, list.separator()), origin(name)));
            names.add(name);
          }
        });
    return new VariableLayer(
        ConfigFactory.parseMap(settings, "environment variables"), List.copyOf(names));
  }

  /**
   * The main file, then the local overrides in the order they override each other; a file that
   * appears twice (the working directory is the main file's) is read once, at its first place.
   */
  static List<Path> candidateFiles(Sources sources) {
    Path main = mainFile(sources);
    Path dir = main.getParent();
    List<Path> candidates = new ArrayList<>();
    candidates.add(main);
    sources
        .hostname()
        .ifPresent(host -> candidates.add(dir.resolve("meridian." + host + ".local.conf")));
    candidates.add(dir.resolve(LOCAL_FILE));
    candidates.add(sources.workingDirectory().toAbsolutePath().resolve(LOCAL_FILE));
    return List.copyOf(new LinkedHashSet<>(candidates.stream().map(Path::normalize).toList()));
  }

  /** The main file; one named explicitly (an empty variable names none) must exist. */
  private static Path mainFile(Sources sources) {
    String namedBy;
    String name;
    if (sources.systemProperties().hasPath(MAIN_FILE_PROPERTY)) {
      namedBy = "-D" + MAIN_FILE_PROPERTY;
      name = sources.systemProperties().getString(MAIN_FILE_PROPERTY);
    } else if (!sources.environment().getOrDefault(MAIN_FILE_VARIABLE, "").isBlank()) {
      namedBy = MAIN_FILE_VARIABLE;
      name = sources.environment().get(MAIN_FILE_VARIABLE);
    } else {
      return sources.defaultMainFile().toAbsolutePath();
    }
    Path main = sources.workingDirectory().resolve(name).toAbsolutePath();
    if (!Files.isRegularFile(main)) {
      throw new ConfigException.Generic(
          namedBy
              + " names the configuration file "
              + main
              + ", which does not exist or is not a file");
    }
    return main;
  }

  private static Config parse(Path file) {
    try {
      return ConfigFactory.parseFile(
          file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new ConfigException.Generic(
          "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The settings of {@code defaults} (unresolved) whose value is exactly one of {@code variables}
   * through a {@code ${?VAR}}: setting path → variable. Each setting is resolved alone, so one that
   * copies another setting stays unresolved rather than taking the variable's value along.
   */
  static Map<String, String> settingsFromVariables(Config defaults, Set<String> variables) {
    Map<String, String> settings = new TreeMap<>();
    collect(defaults.root(), List.of(), VariableResolver.markers(variables), settings);
    return settings;
  }

  private static void collect(
      ConfigObject object,
      List<String> path,
      VariableResolver markers,
      Map<String, String> settings) {
    Set<Map.Entry<String, ConfigValue>> entries;
    try {
      entries = object.entrySet();
    } catch (ConfigException e) {
      // An object merged with a substitution, not resolvable alone: it is not one variable.
      return;
    }
    for (Map.Entry<String, ConfigValue> entry : entries) {
      List<String> childPath = new ArrayList<>(path);
      childPath.add(entry.getKey());
      if (entry.getValue() instanceof ConfigObject child) {
        collect(child, childPath, markers, settings);
      } else {
        String setting = ConfigUtil.joinPath(childPath);
        variableOf(setting, entry.getValue(), markers)
            .ifPresent(variable -> settings.put(setting, variable));
      }
    }
  }

  /** The variable {@code value} is exactly, when resolved alone with markers for variables. */
  private static Optional<String> variableOf(
      String setting, ConfigValue value, VariableResolver markers) {
    Config alone = ConfigFactory.empty().withValue(setting, value);
    if (alone.isResolved()) {
      return Optional.empty();
    }
    try {
      Config resolved =
          alone.resolve(
              ConfigResolveOptions.noSystem().setAllowUnresolved(true).appendResolver(markers));
      if (!resolved.isResolved() || !resolved.hasPath(setting)) {
        return Optional.empty();
      }
      ConfigValue result = resolved.getValue(setting);
      if (result.valueType() == ConfigValueType.STRING
          && result.unwrapped() instanceof String marked
          && marked.startsWith(MARKER)) {
        return Optional.of(marked.substring(MARKER.length())).filter(markers::knows);
      }
      return Optional.empty();
    } catch (ConfigException e) {
      // Self-references and cycles resolve only in the whole configuration.
      return Optional.empty();
    }
  }

  /**
   * Resolves {@code ${?VAR}} from the given environment instead of the process's; with {@code
   * marking}, to a marker naming the variable instead of its value.
   */
  private record VariableResolver(Map<String, String> environment, boolean marking)
      implements ConfigResolver {

    /** Resolves each of {@code variables} to its marker. */
    static VariableResolver markers(Set<String> variables) {
      Map<String, String> names = new HashMap<>();
      variables.forEach(name -> names.put(name, name));
      return new VariableResolver(names, true);
    }

    boolean knows(String variable) {
      return environment.containsKey(variable);
    }

    @Override
    public ConfigValue lookup(String path) {
      String value = environment.get(path);
      if (value == null) {
        return null;
      }
      return ConfigValueFactory.fromAnyRef(marking ? MARKER + path : value, origin(path));
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      return fallback == null ? this : new ResolverChain(this, fallback);
    }
  }

  /** A resolver, then another for what the first does not know. */
  private record ResolverChain(ConfigResolver first, ConfigResolver second)
      implements ConfigResolver {

    @Override
    public ConfigValue lookup(String path) {
      ConfigValue value = first.lookup(path);
      return value != null ? value : second.lookup(path);
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      return fallback == null ? this : new ResolverChain(this, fallback);
    }
  }

  private static String origin(String variable) {
    return "environment variable " + variable;
  }

  /** This host's name up to its first dot ({@code db-1} for {@code db-1.example.com}). */
  static Optional<String> localHostname() {
    try {
      return Optional.of(shortName(InetAddress.getLocalHost().getHostName()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** {@code host} up to its first dot, unless it is an IP address. */
  static String shortName(String host) {
    boolean address =
        host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    int dot = host.indexOf('.');
    return address || dot <= 0 ? host : host.substring(0, dot);
  }

  private static List<String> split(String value, String separator) {
    return Arrays.stream(value.split(separator))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
