package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.secret.AccessSecretParser;
import io.kanister.kopia.model.secret.AccessUser;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.Validated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The users of {@code spec.server.accessSecretNames}: every key of every Secret is a workload
 * identifier whose YAML value names a user and its password. Each entry is judged on its own, so a
 * broken entry fails only its own user.
 */
public final class PredefinedUsers {
  private PredefinedUsers() {}

  /**
   * @param secretNamespace where the access Secrets live (the Repository's namespace)
   * @param secretNames {@code spec.server.accessSecretNames}, in order: earlier Secrets win a
   *     duplicate username
   * @param found the Secrets that exist, by name; a listed name missing here is a failure
   */
  public static DesiredUsers from(
      String targetNamespace,
      String secretNamespace,
      List<String> secretNames,
      Map<String, Secret> found) {
    DesiredUsers all = DesiredUsers.empty();
    for (String name : secretNames) {
      Secret secret = found.get(name);
      all =
          all.and(
              secret == null
                  ? missing(secretNamespace, name)
                  : fromSecret(targetNamespace, SecretData.of(secret)));
    }
    return all;
  }

  static DesiredUsers fromSecret(String targetNamespace, SecretData data) {
    Map<String, Validated<AccessUser>> entries = AccessSecretParser.parseEach(data);
    if (entries.isEmpty()) {
      return new DesiredUsers(
          Map.of(),
          List.of(
              new UserFailure(
                  data.ref().toString(),
                  FailureReasons.INVALID_ACCESS_SECRET,
                  data.ref()
                      + " has no keys; add one key per workload whose value is YAML with"
                      + " username and password")));
    }
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    List<UserFailure> failures = new ArrayList<>();
    entries.forEach(
        (workload, entry) -> {
          if (!entry.isValid()) {
            failures.add(
                new UserFailure(workload, reasonFor(entry.problems()), describe(entry.problems())));
            return;
          }
          AccessUser user = entry.value();
          String source = data.ref().key(workload);
          try {
            KopiaUsername username =
                KopiaUsername.lowercased(user.username() + "@" + targetNamespace + "." + workload);
            users.put(username, new DesiredUser(username, user.password(), source));
          } catch (IllegalArgumentException e) {
            failures.add(
                new UserFailure(
                    workload, FailureReasons.INVALID_USERNAME, source + ": " + e.getMessage()));
          }
        });
    return new DesiredUsers(users, failures);
  }

  private static DesiredUsers missing(String namespace, String name) {
    return new DesiredUsers(
        Map.of(),
        List.of(
            new UserFailure(
                namespace + "/" + name,
                FailureReasons.ACCESS_SECRET_NOT_FOUND,
                "Secret "
                    + namespace
                    + "/"
                    + name
                    + " is listed in spec.server.accessSecretNames but does not exist; create it"
                    + " or remove it from the list")));
  }

  /** The reason word, from the problems' codes (their messages are for people). */
  private static String reasonFor(List<Problem> problems) {
    if (problems.stream().anyMatch(p -> p.code() == Problem.Code.INVALID_WORKLOAD_IDENTIFIER)) {
      return FailureReasons.INVALID_WORKLOAD_IDENTIFIER;
    }
    boolean username = problems.stream().anyMatch(p -> p.code() == Problem.Code.INVALID_USERNAME);
    boolean onlyUsername = username && problems.size() == 1;
    return onlyUsername ? FailureReasons.INVALID_USERNAME : FailureReasons.INVALID_ACCESS_SECRET;
  }

  private static String describe(List<Problem> problems) {
    return problems.stream().map(Problem::text).collect(Collectors.joining("; "));
  }
}
