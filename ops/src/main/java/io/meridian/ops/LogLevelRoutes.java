package io.meridian.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameter;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;
import org.slf4j.LoggerFactory;

/**
 * Log levels on the management port, changed while the node runs (Pekko Management loads this from
 * {@code pekko.management.http.routes}):
 *
 * <ul>
 *   <li>{@code GET /loglevels}: the root level and every logger with a level of its own;
 *   <li>{@code GET /loglevels/<logger>}: one logger's own and effective level;
 *   <li>{@code PUT /loglevels/<logger>?level=DEBUG}: sets it ({@code ROOT} for the root logger);
 *   <li>{@code DELETE /loglevels/<logger>}: the logger inherits its parent's level again.
 * </ul>
 *
 * A change lasts until the node restarts; {@code meridian.log.levels} sets levels for good. With
 * {@code pekko.management.http.route-providers-read-only} on, changes are refused (403).
 */
public final class LogLevelRoutes implements ManagementRouteProvider {

  public LogLevelRoutes(ExtendedActorSystem system) {}

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return pathPrefix(
        "loglevels",
        () ->
            concat(
                pathEnd(() -> get(() -> complete(json(StatusCodes.OK, all())))),
                path(
                    segment(),
                    name ->
                        concat(
                            get(() -> complete(json(StatusCodes.OK, one(logger(name))))),
                            put(
                                () ->
                                    parameter(
                                        "level",
                                        level -> changed(settings, () -> set(name, level)))),
                            delete(() -> changed(settings, () -> unset(name)))))));
  }

  private static Route changed(
      ManagementRouteProviderSettings settings, Supplier<HttpResponse> change) {
    if (settings.readOnly()) {
      return complete(
          error(
              StatusCodes.FORBIDDEN,
              "Log levels are read-only: pekko.management.http.route-providers-read-only is on"));
    }
    try {
      return complete(change.get());
    } catch (IllegalArgumentException e) {
      return complete(error(StatusCodes.BAD_REQUEST, e.getMessage()));
    }
  }

  private static HttpResponse set(String name, String level) {
    Logger logger = logger(name);
    logger.setLevel(Logging.level(level));
    LoggerFactory.getLogger(LogLevelRoutes.class)
        .info("Log level of {} set to {} through the management API", logger.getName(), level);
    return json(StatusCodes.OK, one(logger));
  }

  private static HttpResponse unset(String name) {
    Logger logger = logger(name);
    if (Logger.ROOT_LOGGER_NAME.equals(logger.getName())) {
      throw new IllegalArgumentException("The root logger always has a level: PUT one instead");
    }
    logger.setLevel(null);
    LoggerFactory.getLogger(LogLevelRoutes.class)
        .info("Log level of {} reset through the management API", logger.getName());
    return json(StatusCodes.OK, one(logger));
  }

  private static Logger logger(String name) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return context.getLogger(name.equalsIgnoreCase("root") ? Logger.ROOT_LOGGER_NAME : name);
  }

  private static ObjectNode all() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("root", logger(Logger.ROOT_LOGGER_NAME).getLevel().toString());
    ObjectNode loggers = body.putObject("loggers");
    Logging.levels().forEach(loggers::put);
    loggers.remove(Logger.ROOT_LOGGER_NAME);
    return body;
  }

  private static ObjectNode one(Logger logger) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("logger", logger.getName());
    Level own = logger.getLevel();
    if (own == null) {
      body.putNull("level");
    } else {
      body.put("level", own.toString());
    }
    body.put("effective", logger.getEffectiveLevel().toString());
    return body;
  }

  private static HttpResponse error(StatusCode status, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", message);
    return json(status, body);
  }

  private static HttpResponse json(StatusCode status, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
