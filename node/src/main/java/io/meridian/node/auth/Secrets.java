package io.meridian.node.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Credentials' secrets: 256 random bits each, stored only as their SHA-256 (a secret this long
 * needs no slow hash: it cannot be guessed from its digest), compared in constant time.
 */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new secret: {@code prefix} and 43 URL-safe characters (256 bits). */
  public static String newSecret(String prefix) {
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  /** A new public id: {@code prefix} and 16 hex digits. */
  public static String newId(String prefix) {
    return prefix + HexFormat.of().formatHex(randomBytes(8));
  }

  public static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** The digest a secret is stored as (hex SHA-256). */
  public static String digest(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code secret} has {@code digest}, in time independent of where they differ. */
  public static boolean matches(String secret, String digest) {
    return sameDigest(digest(secret), digest);
  }

  /** Whether two digests are equal, in time independent of where they differ. */
  public static boolean sameDigest(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
