package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Compares the desired users with the users kopia lists: missing ones are added, ones whose stored
 * hash is not of the desired password are set, and managed ones nobody asks for are deleted, unless
 * they are held (their source could not be read this pass). Users the operator never recorded are
 * foreign and never touched.
 */
public final class UsersPlanner {
  private UsersPlanner() {}

  /**
   * @param executor runs the password checks, which may each cost a PBKDF2 derivation
   */
  public static UsersPlan plan(
      Map<KopiaUsername, DesiredUser> desired,
      List<UserProfile> existing,
      ManagedUsers managed,
      PasswordCheck check,
      Executor executor) {
    return plan(desired, existing, managed, check, executor, java.util.Set.of());
  }

  /**
   * @param held users whose source failed this pass (a token request, a missing Secret, an entry
   *     that no longer parses): never deleted for that, so a passing error does not lock out a
   *     workload mid-backup
   */
  public static UsersPlan plan(
      Map<KopiaUsername, DesiredUser> desired,
      List<UserProfile> existing,
      ManagedUsers managed,
      PasswordCheck check,
      Executor executor,
      java.util.Set<String> held) {
    Map<KopiaUsername, UserProfile> stored = new LinkedHashMap<>();
    existing.forEach(profile -> stored.put(profile.username(), profile));

    List<UserChange> changes = new ArrayList<>();
    List<KopiaUsername> unchanged = new ArrayList<>();
    List<KopiaUsername> foreign = new ArrayList<>();
    List<KopiaUsername> kept = new ArrayList<>();
    Map<DesiredUser, CompletableFuture<Boolean>> checks = new LinkedHashMap<>();
    for (DesiredUser user : desired.values()) {
      UserProfile profile = stored.get(user.username());
      if (profile == null) {
        changes.add(UserChange.add(user));
      } else {
        checks.put(
            user,
            CompletableFuture.supplyAsync(
                () -> check.matches(user.username(), user.password(), profile.passwordHash()),
                executor));
      }
    }
    awaitChecks(checks.values());
    checks.forEach(
        (user, matches) -> {
          if (matches.join()) {
            unchanged.add(user.username());
          } else {
            changes.add(UserChange.set(user));
          }
        });
    for (KopiaUsername username : stored.keySet()) {
      if (desired.containsKey(username)) {
        continue;
      }
      if (!managed.manages(username)) {
        foreign.add(username);
      } else if (held.contains(username.value())) {
        kept.add(username);
      } else {
        changes.add(UserChange.delete(username));
      }
    }
    return new UsersPlan(changes, unchanged, foreign, kept);
  }

  /** Interruptibly: a stop must not wait for hundreds of PBKDF2 verifications. */
  private static void awaitChecks(java.util.Collection<CompletableFuture<Boolean>> checks) {
    try {
      CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get();
    } catch (InterruptedException e) {
      checks.forEach(check -> check.cancel(true));
      Thread.currentThread().interrupt();
      throw new io.kanister.kopia.core.exec.KopiaCancelledException("server users list");
    } catch (java.util.concurrent.ExecutionException e) {
      // Rethrown as before by join() below.
    }
  }

  /**
   * What to write to reach the desired users.
   *
   * @param unchanged desired users whose stored password already matches
   * @param foreign existing users the operator did not record (adopted, people's, other tools'),
   *     left alone
   * @param held managed users nobody asks for this pass whose source failed: kept as they are
   */
  public record UsersPlan(
      List<UserChange> changes,
      List<KopiaUsername> unchanged,
      List<KopiaUsername> foreign,
      List<KopiaUsername> held) {
    public UsersPlan {
      held = List.copyOf(held);
      changes = List.copyOf(changes);
      unchanged = List.copyOf(unchanged);
      foreign = List.copyOf(foreign);
    }

    public long count(UserChange.Kind kind) {
      return changes.stream().filter(c -> c.kind() == kind).count();
    }
  }

  /** One kopia write: add, set (new password) or delete a user. */
  public record UserChange(Kind kind, KopiaUsername username, SecretValue password) {
    public enum Kind {
      ADD,
      SET,
      DELETE
    }

    public static UserChange add(DesiredUser user) {
      return new UserChange(Kind.ADD, user.username(), user.password());
    }

    public static UserChange set(DesiredUser user) {
      return new UserChange(Kind.SET, user.username(), user.password());
    }

    public static UserChange delete(KopiaUsername username) {
      return new UserChange(Kind.DELETE, username, null);
    }

    @Override
    public String toString() {
      return kind + " " + username;
    }
  }

  /** Whether a stored hash is of the desired password; {@link VerifiedPasswords} in production. */
  @FunctionalInterface
  public interface PasswordCheck {
    boolean matches(KopiaUsername user, SecretValue password, UserPasswordHash stored);
  }
}
