package io.meridian.ops;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * A node's logs, as {@code meridian.log} configures them: JSON lines (timestamp, level, service,
 * logger, thread, message, the line's fields, stack trace) in four size-rotated files of the log
 * directory, and every line on stdout as well (JSON, or text for people, or not at all).
 *
 * <ul>
 *   <li>{@code meridian.log}: everything but the three request streams;
 *   <li>{@code access.log}: one line per HTTP request ({@code meridian.access});
 *   <li>{@code error.log}: one line per error answer, with its tag ({@code meridian.error});
 *   <li>{@code exceptions.log}: stack traces of unexpected failures ({@code meridian.exception}).
 * </ul>
 *
 * <p>A file that reaches {@code max-file-size} is renamed {@code <name>.1} (the older ones shift to
 * {@code .2} … {@code .<max-files>}, the oldest is deleted). Lines are written by a background
 * thread and dropped rather than making a request wait when the disk cannot keep up (INFO lines
 * first). Levels can be changed while the node runs through the management API ({@link
 * LogLevelRoutes}). A {@code -Dlogback.configurationFile} of the operator's own replaces all this.
 */
public final class Logging {

  /** The request log streams: logger name and file name. */
  static final Map<String, String> STREAMS =
      Map.of(
          "meridian.access", "access.log",
          "meridian.error", "error.log",
          "meridian.exception", "exceptions.log");

  static final String MAIN_FILE = "meridian.log";

  /** What stdout gets. */
  public enum Stdout {
    JSON,
    TEXT,
    OFF
  }

  /** {@code meridian.log}. */
  public record Settings(
      Path dir,
      long maxFileSize,
      int maxFiles,
      Stdout stdout,
      Level level,
      Map<String, Level> levels) {

    public static Settings fromConfig(Config log) {
      int maxFiles = log.getInt("max-files");
      if (maxFiles < 1 || maxFiles > 20) {
        throw new IllegalArgumentException(
            "meridian.log.max-files must be between 1 and 20, was " + maxFiles);
      }
      Map<String, Level> levels = new LinkedHashMap<>();
      // A logger's name is a path whether its dots are quoted ("a.b" = DEBUG) or not (a.b = DEBUG).
      for (Map.Entry<String, ConfigValue> entry : log.getConfig("levels").entrySet()) {
        levels.put(
            String.join(".", ConfigUtil.splitPath(entry.getKey())),
            Logging.level(String.valueOf(entry.getValue().unwrapped())));
      }
      return new Settings(
          Path.of(log.getString("dir")),
          log.getBytes("max-file-size"),
          maxFiles,
          Stdout.valueOf(log.getString("stdout").toUpperCase(Locale.ROOT)),
          Logging.level(log.getString("level")),
          levels);
    }
  }

  private Logging() {}

  /** Configures logging from {@code meridian.log} of {@code config}, unless the operator's own. */
  public static void configure(Config config) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    configure(Settings.fromConfig(config.getConfig("meridian.log")));
  }

  /** Replaces the whole logging configuration with {@code settings}'. */
  public static void configure(Settings settings) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Appender<ILoggingEvent> stdout =
        switch (settings.stdout()) {
          case JSON -> async(context, "stdout", console(context, json(context)));
          case TEXT -> async(context, "stdout", console(context, text(context)));
          case OFF -> null;
        };
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(settings.level());
    root.addAppender(async(context, "main", rolling(context, settings, MAIN_FILE)));
    if (stdout != null) {
      root.addAppender(stdout);
    }
    STREAMS.forEach(
        (name, file) -> {
          Logger stream = context.getLogger(name);
          stream.setAdditive(false);
          stream.addAppender(async(context, name, rolling(context, settings, file)));
          if (stdout != null) {
            stream.addAppender(stdout);
          }
        });
    settings.levels().forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  /** Writes what is still queued and closes the files. */
  public static void stop() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }

  /** A level by its name, refusing what logback would silently read as DEBUG. */
  public static Level level(String name) {
    Level level = Level.toLevel(name, null);
    if (level == null) {
      throw new IllegalArgumentException(
          "Unknown log level \""
              + name
              + "\": use one of OFF, ERROR, WARN, INFO, DEBUG, TRACE, ALL");
    }
    return level;
  }

  private static Appender<ILoggingEvent> rolling(
      LoggerContext context, Settings settings, String fileName) {
    String file = settings.dir().resolve(fileName).toAbsolutePath().toString();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setName(fileName);
    appender.setFile(file);
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(settings.maxFiles());
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(new FileSize(settings.maxFileSize()));
    // The size is looked at once a second at most (logback's default: once a minute).
    trigger.setCheckIncrement(Duration.buildBySeconds(1));
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(json(context));
    rolling.start();
    trigger.start();
    appender.start();
    return appender;
  }

  private static Appender<ILoggingEvent> console(
      LoggerContext context, Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    return console;
  }

  /**
   * Hands lines to {@code appender} on a background thread. A full queue drops lines instead of
   * blocking the thread logging (a request's), INFO and below once it is 80 % full.
   */
  private static Appender<ILoggingEvent> async(
      LoggerContext context, String name, Appender<ILoggingEvent> appender) {
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("async-" + name);
    async.setQueueSize(8192);
    async.setNeverBlock(true);
    async.addAppender(appender);
    async.start();
    return async;
  }

  static Encoder<ILoggingEvent> json(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setCustomFields("{\"service\":\"meridian\"}");
    encoder.setTimeZone("UTC");
    encoder.getFieldNames().setTimestamp("timestamp");
    encoder.getFieldNames().setVersion("[ignore]");
    encoder.getFieldNames().setLevelValue("[ignore]");
    encoder.getFieldNames().setLogger("logger");
    encoder.getFieldNames().setThread("thread");
    // Pekko's copy of the line's time, in local time and without a date: the timestamp says it.
    encoder.addExcludeMdcKeyName("pekkoTimestamp");
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{ISO8601,UTC} %-5level [%logger{36}] %msg %kvp%n");
    encoder.start();
    return encoder;
  }

  /** The explicitly set level of every logger that has one. */
  static Map<String, String> levels() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<String, String> levels = new LinkedHashMap<>();
    List<Logger> loggers = context.getLoggerList();
    for (Logger logger : loggers) {
      if (logger.getLevel() != null) {
        levels.put(logger.getName(), logger.getLevel().toString());
      }
    }
    return levels;
  }
}
