package io.meridian.protocol.regex;

/**
 * A user-supplied regular expression took more steps to match one value than {@link BoundedRegex}
 * allows: it backtracks catastrophically (e.g. {@code (a+)+$} against a long run of {@code a}s), so
 * it was stopped rather than left to pin a CPU for minutes. The HTTP APIs answer a client error
 * (400) asking for a simpler expression; nothing about the request is a server fault.
 *
 * <p>Unchecked so that it passes through matching code unchanged; code that matches inside an actor
 * catches it and answers with the refusal instead of failing the actor.
 */
public final class RegexTooComplexException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RegexTooComplexException(String message) {
    super(message);
  }
}
