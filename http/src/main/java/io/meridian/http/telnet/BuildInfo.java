package io.meridian.http.telnet;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Properties;

/** What the telnet {@code version} and {@code stats} commands say about this node. */
public final class BuildInfo {

  /** Written by Maven into every module jar; absent when running from {@code target/classes}. */
  private static final String POM_PROPERTIES =
      "/META-INF/maven/io.meridian/meridian-http/pom.properties";

  private BuildInfo() {}

  /** Meridian's version, or {@code development} when not running from a built jar. */
  public static String version() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank()) {
          return version;
        }
      }
    } catch (IOException e) {
      // Fall through: the version is informational only.
    }
    return "development";
  }

  /**
   * The two lines of the {@code version} answer, in the spirit of OpenTSDB's revision and build.
   */
  static List<String> versionLines() {
    return List.of(
        "meridian " + version() + " (OpenTSDB 2.x telnet-style and HTTP API)",
        "Built on Apache Pekko "
            + org.apache.pekko.Version.current()
            + ", Pekko HTTP "
            + org.apache.pekko.http.Version.current()
            + ", Java "
            + Runtime.version());
  }

  /** This machine's name for the {@code host} tag of stats, as OpenTSDB tags its own. */
  static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      // A tag value may hold letters, digits and "-_./" only.
      String safe = name.replaceAll("[^A-Za-z0-9\\-_./]", "_");
      return safe.isEmpty() ? "localhost" : safe;
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
