package io.meridian.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;

/** {@code meridian logout}: forgets the credential stored for the target. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "Removes the credential stored for the target.")
public final class LogoutCommand extends ClientCommand {

  @Override
  int run() {
    String target = target();
    boolean removed = config().forget(target);
    config().save();
    if (json()) {
      ObjectNode json = JSON.createObjectNode();
      json.put("target", target);
      json.put("removed", removed);
      printJson(json);
    } else {
      out()
          .println(
              removed
                  ? "Logged out of " + target + "."
                  : "No credential was stored for " + target + ".");
      out().flush();
    }
    return 0;
  }
}
