package io.meridian.ops.cli;

/**
 * A command that cannot run as given (no such file, a bad time, a missing argument the options
 * cannot express): reported without a stack trace, exit code 2 like picocli's usage errors.
 */
final class CliException extends RuntimeException {

  CliException(String message) {
    super(message);
  }
}
