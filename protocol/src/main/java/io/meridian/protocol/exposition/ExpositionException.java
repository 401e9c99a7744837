package io.meridian.protocol.exposition;

/** Aborts a parse at the first problem; turned into {@link ParseResult.Failed} at the boundary. */
final class ExpositionException extends RuntimeException {

  private final int line;

  ExpositionException(int line, String message) {
    super(message, null, false, false);
    this.line = line;
  }

  int line() {
    return line;
  }
}
