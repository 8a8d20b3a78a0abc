package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kopia users the operator created (or was asked for by name) for one Repository, each with its
 * origin: only these may ever be deleted. A user the operator found in an adopted repository is not
 * here unless an access Secret or workload asks for it, so it is never touched, whatever its host.
 *
 * <p>Origins are {@code secret/<name>/<key>} and {@code workload/<Kind>/<name>}: neither part can
 * hold a {@code /}, so a hold on {@code secret/<name>/} covers exactly that Secret's users.
 *
 * @param origins where each recorded user comes from; no password or token
 * @param verified per recorded user, the {@link VerifiedPasswords} digest of the password that its
 *     stored hash was last found (or made) to be of: an HMAC under a key kept in a Secret, so it
 *     says nothing about the password without that key
 * @param refreshDue the server may not have read the last user writes yet: set before the first
 *     write and cleared once {@code server refresh} succeeded, so that a process that takes over (a
 *     restart, a new leader) refreshes a server the previous one wrote to and was stopped before
 *     refreshing, even when it finds nothing left to write
 */
public record ManagedUsers(
    Map<KopiaUsername, String> origins, Map<KopiaUsername, String> verified, boolean refreshDue) {
  public ManagedUsers {
    origins = sorted(origins);
    Map<KopiaUsername, String> kept = new LinkedHashMap<>(verified);
    kept.keySet().retainAll(origins.keySet());
    verified = sorted(kept);
  }

  public ManagedUsers(Map<KopiaUsername, String> origins, Map<KopiaUsername, String> verified) {
    this(origins, verified, false);
  }

  public ManagedUsers(Map<KopiaUsername, String> origins) {
    this(origins, Map.of());
  }

  private static Map<KopiaUsername, String> sorted(Map<KopiaUsername, String> entries) {
    Map<KopiaUsername, String> sorted = new TreeMap<>(Comparator.comparing(KopiaUsername::value));
    sorted.putAll(entries);
    return Collections.unmodifiableMap(sorted);
  }

  /** Where a user's record lives across operator restarts (a ConfigMap in production). */
  public interface Store {
    ManagedUsers read();

    void write(ManagedUsers users);
  }

  public static ManagedUsers none() {
    return new ManagedUsers(Map.of());
  }

  public static String secretOrigin(String secretName, String key) {
    return "secret/" + secretName + "/" + key;
  }

  /** Holds every user of one Secret (missing, unreadable or emptied). */
  public static String wholeSecret(String secretName) {
    return "secret/" + secretName + "/";
  }

  public static String workloadOrigin(String kind, String name) {
    return "workload/" + kind + "/" + name;
  }

  /** Holds every dynamic user (the workloads could not be listed). */
  public static final String ALL_WORKLOADS = "workload/";

  public boolean manages(KopiaUsername username) {
    return origins.containsKey(username);
  }

  /** Whether a hold (an origin, or a prefix ending in {@code /}) covers this recorded user. */
  public boolean held(KopiaUsername username, Set<String> holds) {
    String origin = origins.get(username);
    if (origin == null) {
      return false;
    }
    for (String hold : holds) {
      if (origin.equals(hold) || (hold.endsWith("/") && origin.startsWith(hold))) {
        return true;
      }
    }
    return false;
  }

  /** This record with {@code added} (re)recorded under their current origins. */
  public ManagedUsers with(Map<KopiaUsername, String> added) {
    Map<KopiaUsername, String> all = new LinkedHashMap<>(origins);
    all.putAll(added);
    return new ManagedUsers(all, verified, refreshDue);
  }

  public ManagedUsers without(Collection<KopiaUsername> removed) {
    Map<KopiaUsername, String> all = new LinkedHashMap<>(origins);
    removed.forEach(all::remove);
    return new ManagedUsers(all, verified, refreshDue);
  }

  /** This record with these verification digests instead of the ones it had. */
  public ManagedUsers withVerified(Map<KopiaUsername, String> digests) {
    return new ManagedUsers(origins, digests, refreshDue);
  }

  public ManagedUsers withRefreshDue(boolean due) {
    return new ManagedUsers(origins, verified, due);
  }

  /** One {@code username origin} line per user, sorted: the stored form. */
  public String encode() {
    return lines(origins);
  }

  /** One {@code username digest} line per verified user, sorted: the stored form. */
  public String encodeVerified() {
    return lines(verified);
  }

  /** Reads {@link #encode()}'s form; a line that is not a username and an origin is skipped. */
  public static ManagedUsers decode(String text) {
    return decode(text, null, null);
  }

  /**
   * Reads {@link #encode()}'s and {@link #encodeVerified()}'s forms and the stored form of {@link
   * #refreshDue()} ({@link #REFRESH_DUE} or nothing). A bad line is skipped: a lost digest costs
   * one PBKDF2 verification, and a forged one cannot match without the key.
   */
  public static ManagedUsers decode(String text, String verifiedText, String refreshText) {
    return new ManagedUsers(
        parse(text),
        parse(verifiedText),
        REFRESH_DUE.equals(refreshText == null ? null : refreshText.trim()));
  }

  /** The stored form of a refresh still due. */
  public static final String REFRESH_DUE = "due";

  private static String lines(Map<KopiaUsername, String> entries) {
    StringBuilder text = new StringBuilder();
    entries.forEach(
        (user, value) -> text.append(user.value()).append(' ').append(value).append('\n'));
    return text.toString();
  }

  private static Map<KopiaUsername, String> parse(String text) {
    Map<KopiaUsername, String> entries = new LinkedHashMap<>();
    if (text != null) {
      for (String line : text.split("\n")) {
        String[] parts = line.trim().split(" ", 2);
        if (parts.length == 2 && !parts[1].isBlank()) {
          try {
            entries.put(KopiaUsername.of(parts[0]), parts[1].trim());
          } catch (IllegalArgumentException notAUser) {
            // Someone edited the record: keeping fewer users managed only means fewer deletions.
          }
        }
      }
    }
    return entries;
  }
}
