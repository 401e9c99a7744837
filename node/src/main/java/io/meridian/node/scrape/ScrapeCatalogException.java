package io.meridian.node.scrape;

import io.meridian.protocol.scrape.ResultCode;

/**
 * A jobs/targets/servers request the catalog refused: the {@link ResultCode} the API answers with
 * and a message saying what was wrong. Nothing was changed.
 */
public final class ScrapeCatalogException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ResultCode resultCode;

  public ScrapeCatalogException(ResultCode resultCode, String message) {
    super(message);
    this.resultCode = resultCode;
  }

  public ResultCode resultCode() {
    return resultCode;
  }
}
