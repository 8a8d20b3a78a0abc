package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.secret.AccessSecretParser;
import io.kanister.kopia.model.secret.AccessUser;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.Validated;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The users of {@code spec.server.accessSecretNames}: every key of every Secret is a workload
 * identifier whose YAML value names a user and its password. Each entry is judged on its own, so a
 * broken entry fails only its own user.
 */
public final class PredefinedUsers {
  private PredefinedUsers() {}

  /** Reads one access Secret; null when it does not exist, an exception when it cannot be read. */
  @FunctionalInterface
  public interface SecretLookup {
    Secret get(String name);
  }

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
    return from(targetNamespace, secretNamespace, secretNames, found::get);
  }

  /**
   * A Secret that is missing, cannot be read or has no keys serves nobody and holds every user it
   * served before (see {@link ManagedUsers}): a Secret being recreated, or an API error, must not
   * lock out a workload mid-backup.
   */
  public static DesiredUsers from(
      String targetNamespace,
      String secretNamespace,
      List<String> secretNames,
      SecretLookup lookup) {
    DesiredUsers all = DesiredUsers.empty();
    for (String name : secretNames) {
      DesiredUsers users;
      try {
        Secret secret = lookup.get(name);
        users =
            secret == null
                ? missing(secretNamespace, name)
                : fromSecret(targetNamespace, name, SecretData.of(secret));
      } catch (RuntimeException e) {
        users = unreadable(secretNamespace, name, e);
      }
      all = all.and(users);
    }
    return all;
  }

  static DesiredUsers fromSecret(String targetNamespace, String name, SecretData data) {
    Map<String, Validated<AccessUser>> entries = AccessSecretParser.parseEach(data);
    if (entries.isEmpty()) {
      return DesiredUsers.held(
          new UserFailure(
              data.ref().toString(),
              FailureReasons.INVALID_ACCESS_SECRET,
              data.ref()
                  + " has no keys; add one key per workload whose value is YAML with"
                  + " username and password"
                  + KEPT),
          ManagedUsers.wholeSecret(name));
    }
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    List<UserFailure> failures = new ArrayList<>();
    Set<String> holds = new LinkedHashSet<>();
    entries.forEach(
        (workload, entry) -> {
          String origin = ManagedUsers.secretOrigin(name, workload);
          if (!entry.isValid()) {
            // An entry that parsed before and no longer does keeps its user as it was.
            holds.add(origin);
            failures.add(
                new UserFailure(
                    workload,
                    reasonFor(entry.problems()),
                    data.ref().key(workload) + ": " + describe(entry.problems()) + KEPT));
            return;
          }
          AccessUser user = entry.value();
          String source = data.ref().key(workload);
          try {
            KopiaUsername username =
                KopiaUsername.lowercased(user.username() + "@" + targetNamespace + "." + workload);
            users.put(username, new DesiredUser(username, user.password(), source, origin));
          } catch (IllegalArgumentException e) {
            holds.add(origin);
            failures.add(
                new UserFailure(
                    workload, FailureReasons.INVALID_USERNAME, source + ": " + e.getMessage()));
          }
        });
    return new DesiredUsers(users, failures, holds);
  }

  /** Appended to the message of every failure that holds users. */
  static final String KEPT = "; until this is fixed, the users it served keep their last password";

  private static DesiredUsers missing(String namespace, String name) {
    return DesiredUsers.held(
        new UserFailure(
            namespace + "/" + name,
            FailureReasons.ACCESS_SECRET_NOT_FOUND,
            "Secret "
                + namespace
                + "/"
                + name
                + " is listed in spec.server.accessSecretNames but does not exist; create it"
                + " (its users keep their last password until then), or remove it from the list"
                + " to delete its users"),
        ManagedUsers.wholeSecret(name));
  }

  private static DesiredUsers unreadable(String namespace, String name, RuntimeException e) {
    return DesiredUsers.held(
        new UserFailure(
            namespace + "/" + name,
            FailureReasons.ACCESS_SECRET_UNREADABLE,
            "Secret "
                + namespace
                + "/"
                + name
                + " could not be read ("
                + FailureReasons.describe(e)
                + "); check the operator's access to it"
                + KEPT),
        ManagedUsers.wholeSecret(name));
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
