package io.kanister.kopia.core.command;

import java.util.List;

/**
 * {@code kopia manifest ...}: the repository's manifests (policies, users, maintenance parameters,
 * snapshots), each an immutable item with an id and labels.
 */
public final class ManifestCommands {
  private ManifestCommands() {}

  /**
   * Every manifest's id, labels, length and time, without the contents: one read that tells whether
   * anything was written since an earlier listing, because Kopia never changes a manifest in place
   * (a changed policy or user is a new manifest with a new id).
   */
  public static KopiaCommand list() {
    return KopiaCommand.of(List.of("manifest", "list", "--json"));
  }
}
