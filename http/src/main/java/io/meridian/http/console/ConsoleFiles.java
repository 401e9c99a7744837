package io.meridian.http.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/**
 * The web console's files as the build put them on the classpath (under {@value #BASE}, from {@code
 * http/console}): the page, {@code index.html}, and the scripts and styles its {@code assets.txt}
 * lists, read once into memory (they are small). Absent when the node was built without its console
 * ({@code -Dconsole.skip}).
 */
public final class ConsoleFiles {

  /** Where the build writes the console, as a classpath resource directory. */
  static final String BASE = "io/meridian/http/console/";

  /**
   * The URL path the assets are served under; {@code assets/x.js} is {@code /console/assets/x.js}.
   */
  static final String ASSET_PREFIX = "/console/";

  private static final ContentType JAVASCRIPT =
      ContentTypes.create(
          MediaTypes.customWithOpenCharset("text", "javascript", Map.of(), true, "js", "mjs"),
          HttpCharsets.UTF_8);

  /** One file: its bytes, content type and strong ETag value (a hash of the bytes). */
  public record File(byte[] bytes, ContentType type, String etag) {

    static File of(byte[] bytes, ContentType type) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        return new File(bytes, type, HexFormat.of().formatHex(digest, 0, 16));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
  }

  private final Optional<File> index;
  private final Map<String, File> assets;

  private ConsoleFiles(Optional<File> index, Map<String, File> assets) {
    this.index = index;
    this.assets = Map.copyOf(assets);
  }

  /** The console the build put on {@code loader}'s classpath, or none if it was not built. */
  public static ConsoleFiles fromClasspath(ClassLoader loader) {
    Optional<byte[]> page = read(loader, BASE + "index.html");
    Optional<byte[]> list = read(loader, BASE + "assets.txt");
    if (page.isEmpty() || list.isEmpty()) {
      return new ConsoleFiles(Optional.empty(), Map.of());
    }
    Map<String, File> assets = new LinkedHashMap<>();
    for (String name : new String(list.get(), StandardCharsets.UTF_8).split("\n")) {
      String file = name.trim();
      if (file.isEmpty()) {
        continue;
      }
      byte[] bytes =
          read(loader, BASE + file)
              .orElseThrow(
                  () -> new IllegalStateException("console asset missing from the jar: " + file));
      assets.put(ASSET_PREFIX + file, File.of(bytes, contentType(file)));
    }
    return new ConsoleFiles(Optional.of(File.of(page.get(), ContentTypes.TEXT_HTML_UTF8)), assets);
  }

  /** The page, unless the node was built without its console. */
  public Optional<File> index() {
    return index;
  }

  /** The asset served at URL path {@code path}, if there is one. */
  public Optional<File> asset(String path) {
    return Optional.ofNullable(assets.get(path));
  }

  /** Whether {@code path} is the console's: the page at {@code /} or one of its assets. */
  public boolean serves(String path) {
    return path.equals("/") || assets.containsKey(path);
  }

  private static ContentType contentType(String file) {
    if (file.endsWith(".js")) {
      return JAVASCRIPT;
    }
    if (file.endsWith(".css")) {
      return ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8);
    }
    if (file.endsWith(".html")) {
      return ContentTypes.TEXT_HTML_UTF8;
    }
    return ContentTypes.TEXT_PLAIN_UTF8;
  }

  private static Optional<byte[]> read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
