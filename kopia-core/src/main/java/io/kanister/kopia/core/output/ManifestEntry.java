package io.kanister.kopia.core.output;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One line of {@code kopia manifest list --json}: a manifest's id and labels, not its contents.
 *
 * @param labels e.g. {@code type=policy, policyType=global} or {@code type=user, username=bob@h}
 */
public record ManifestEntry(String id, Map<String, String> labels, Instant modified, long length) {
  public static final String TYPE = "type";

  public ManifestEntry {
    labels = Map.copyOf(labels);
  }

  /**
   * The {@code type} label: {@code policy}, {@code user}, {@code maintenance}, {@code snapshot}.
   */
  public Optional<String> type() {
    return Optional.ofNullable(labels.get(TYPE));
  }
}
