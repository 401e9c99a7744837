package io.meridian.protocol.opentsdb;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * OpenTSDB's unique IDs (UIDs) and time-series IDs (TSUIDs) in their hex text form. A UID is
 * {@value #UID_BYTES} bytes (OpenTSDB's default width for metrics, tag keys and tag values),
 * written as {@value #UID_HEX_DIGITS} upper-case hex digits; a TSUID is the metric UID followed by
 * one tag-key UID and tag-value UID pair per tag, the pairs sorted by tag-key UID.
 */
public final class Tsuids {

  /** Bytes of one UID. */
  public static final int UID_BYTES = 3;

  /** Hex digits of one UID. */
  public static final int UID_HEX_DIGITS = 2 * UID_BYTES;

  /** The largest UID that fits in {@link #UID_BYTES} bytes; UIDs start at 1. */
  public static final int MAX_UID = (1 << (8 * UID_BYTES)) - 1;

  private Tsuids() {}

  /** The hex form of a UID, e.g. {@code 00002A}. */
  public static String uidToString(int uid) {
    if (uid < 0 || uid > MAX_UID) {
      throw new IllegalArgumentException("UID out of range: " + uid);
    }
    return String.format(Locale.ROOT, "%06X", uid);
  }

  /**
   * Parses a UID from hex; like OpenTSDB, shorter forms ({@code 2A}) are read as if left-padded
   * with zeros.
   *
   * @throws IllegalArgumentException if the text is empty, longer than {@link #UID_HEX_DIGITS}
   *     digits or not hex
   */
  public static int parseUid(String hex) {
    if (hex == null || hex.isEmpty()) {
      throw new IllegalArgumentException("Missing UID");
    }
    if (hex.length() > UID_HEX_DIGITS || !isHex(hex)) {
      throw new IllegalArgumentException(
          "Invalid UID '" + hex + "': expected up to " + UID_HEX_DIGITS + " hex digits");
    }
    return Integer.parseInt(hex, 16);
  }

  /**
   * Validates a TSUID and returns it in upper case, the form Meridian stores and compares.
   *
   * @throws IllegalArgumentException if it is not hex or not a metric UID followed by whole tag
   *     pairs
   */
  public static String normalize(String tsuid) {
    if (tsuid == null || tsuid.isEmpty()) {
      throw new IllegalArgumentException("Missing TSUID");
    }
    if (!isHex(tsuid)) {
      throw new IllegalArgumentException("Invalid TSUID '" + tsuid + "': not hexadecimal");
    }
    if (tsuid.length() < UID_HEX_DIGITS
        || (tsuid.length() - UID_HEX_DIGITS) % (2 * UID_HEX_DIGITS) != 0) {
      throw new IllegalArgumentException(
          "Invalid TSUID '"
              + tsuid
              + "': expected a "
              + UID_HEX_DIGITS
              + "-digit metric UID followed by "
              + 2 * UID_HEX_DIGITS
              + "-digit tag pairs");
    }
    return tsuid.toUpperCase(Locale.ROOT);
  }

  /**
   * The UIDs of a valid (see {@link #normalize}) TSUID in order: metric, then tag key and tag value
   * of each pair.
   */
  public static int[] parse(String tsuid) {
    String valid = normalize(tsuid);
    int[] uids = new int[valid.length() / UID_HEX_DIGITS];
    for (int i = 0; i < uids.length; i++) {
      uids[i] = Integer.parseInt(valid.substring(i * UID_HEX_DIGITS, (i + 1) * UID_HEX_DIGITS), 16);
    }
    return uids;
  }

  /** The metric UID (the first {@link #UID_HEX_DIGITS} digits) of a valid TSUID. */
  public static String metricUid(String tsuid) {
    return normalize(tsuid).substring(0, UID_HEX_DIGITS);
  }

  /** A TSUID from its metric UID and tag-key UID to tag-value UID pairs (sorted by tag key). */
  public static String format(int metric, SortedMap<Integer, Integer> tags) {
    StringBuilder sb = new StringBuilder(UID_HEX_DIGITS * (1 + 2 * tags.size()));
    sb.append(uidToString(metric));
    for (Map.Entry<Integer, Integer> tag : tags.entrySet()) {
      sb.append(uidToString(tag.getKey())).append(uidToString(tag.getValue()));
    }
    return sb.toString();
  }

  private static boolean isHex(String text) {
    // ASCII only: Character.digit would also accept other scripts' digits.
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
