package io.meridian.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw TCP client for a node's port: writes bytes exactly as given (so tests control CR, LF and
 * spacing) and reads the reply lines or raw HTTP responses back.
 */
public final class LineClient implements AutoCloseable {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  private final Socket socket;
  private final InputStream in;

  public LineClient(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    try {
      socket =
          new Socket(
              hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public LineClient send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next line without its {@code \n}; fails if none arrives within the read timeout. */
  public String readLine() {
    String line = readLineOrNull();
    if (line == null) {
      throw new AssertionError("connection closed while a line was expected");
    }
    return line;
  }

  /** The next {@code count} lines. */
  public List<String> readLines(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(readLine());
    }
    return lines;
  }

  /** Reads until the server closes the connection; returns the lines it sent before. */
  public List<String> readUntilClosed() {
    List<String> lines = new ArrayList<>();
    for (String line = readLineOrNull(); line != null; line = readLineOrNull()) {
      lines.add(line);
    }
    return lines;
  }

  private String readLineOrNull() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          if (line.size() > 0) {
            throw new AssertionError("connection closed after a partial line: " + line);
          }
          return null;
        }
        line.write(b);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no line within " + READ_TIMEOUT + "; read so far: " + line, e);
    } catch (IOException e) {
      // A reset after the server closed counts as closed.
      return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** A raw HTTP/1.1 response read off the connection: status, headers, body. */
  public record RawResponse(int status, List<String> headers, String body) {
    public boolean hasHeader(String name, String value) {
      return headers.stream().anyMatch(h -> h.equalsIgnoreCase(name + ": " + value));
    }
  }

  /** Reads one HTTP response whose body has a Content-Length (as all of Meridian's do). */
  public RawResponse readHttpResponse() {
    String statusLine = readLine().stripTrailing();
    List<String> headers = new ArrayList<>();
    int length = 0;
    for (String header = readLine().stripTrailing(); !header.isEmpty(); ) {
      headers.add(header);
      if (header.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).trim());
      }
      header = readLine().stripTrailing();
    }
    try {
      byte[] body = in.readNBytes(length);
      return new RawResponse(
          Integer.parseInt(statusLine.split(" ")[1]),
          headers,
          new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort in tests.
    }
  }
}
