package io.kanister.kopia.core.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code kopia snapshot ...}, for data movers. */
public final class SnapshotCommands {
  private SnapshotCommands() {}

  public static KopiaCommand create(Path source, Map<String, String> tags, String description) {
    List<String> args = new ArrayList<>(List.of("snapshot", "create", source.toString(), "--json"));
    tags.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(t -> args.add("--tags=" + t.getKey() + ":" + t.getValue()));
    if (description != null && !description.isBlank()) {
      args.add("--description=" + description);
    }
    return KopiaCommand.of(args);
  }

  /** Snapshots of one source path of the connected user and host. */
  public static KopiaCommand list(Path source) {
    return KopiaCommand.of(List.of("snapshot", "list", source.toString(), "--json"));
  }

  /** Every snapshot the connected identity may see. */
  public static KopiaCommand listAll() {
    return KopiaCommand.of(List.of("snapshot", "list", "--all", "--json"));
  }

  public static KopiaCommand restore(String snapshotId, Path target) {
    return KopiaCommand.of(List.of("snapshot", "restore", snapshotId, target.toString()));
  }

  /** Deletes a snapshot manifest; without {@code --delete} kopia would only print a dry run. */
  public static KopiaCommand delete(String snapshotId) {
    return KopiaCommand.of(List.of("snapshot", "delete", snapshotId, "--delete"));
  }
}
