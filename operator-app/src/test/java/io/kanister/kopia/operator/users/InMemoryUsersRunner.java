package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.user.UserPasswordHash;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@code server users list|add|set|delete} from a map, the way kopia does, for offline
 * tests of the converger; counts writes.
 */
final class InMemoryUsersRunner implements KopiaRunner {
  final Map<String, UserPasswordHash> users = new TreeMap<>();
  final AtomicInteger writes = new AtomicInteger();

  @Override
  public synchronized KopiaResult run(KopiaCommand command) {
    var args = command.args();
    String verb = args.get(2);
    if (verb.equals("list")) {
      StringBuilder json = new StringBuilder("[");
      users.forEach(
          (name, hash) ->
              json.append(json.length() > 1 ? "," : "")
                  .append("{\"username\":\"")
                  .append(name)
                  .append("\",\"passwordHashVersion\":")
                  .append(hash.version())
                  .append(",\"passwordHash\":\"")
                  .append(hash.passwordHashBase64())
                  .append("\"}"));
      return result(json.append(']').toString());
    }
    writes.incrementAndGet();
    String name = args.get(3);
    switch (verb) {
      case "add", "set" ->
          users.put(
              name,
              UserPasswordHash.decode(args.get(4).substring("--user-password-hash=".length())));
      case "delete" -> users.remove(name);
      default -> throw new IllegalArgumentException("unexpected " + command);
    }
    return result("");
  }

  private static KopiaResult result(String stdout) {
    return new KopiaResult(stdout, "", Duration.ZERO, false);
  }
}
