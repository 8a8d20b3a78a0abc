package io.kanister.kopia.core.storage;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** A repository in a local or mounted directory: {@code kopia repository ... filesystem}. */
@Value.Immutable
public abstract non-sealed class FilesystemLocation implements StorageLocation {
  static final String PROVIDER = "filesystem";

  /** Absolute path of the repository directory (Kopia rejects relative paths). */
  public abstract String path();

  public abstract OptionalInt ownerUid();

  public abstract OptionalInt ownerGid();

  /** Mode of new files; Kopia defaults to 0600. */
  public abstract OptionalInt fileMode();

  /** Mode of new directories; Kopia defaults to 0700. */
  public abstract OptionalInt dirMode();

  public static ImmutableFilesystemLocation.Builder builder() {
    return ImmutableFilesystemLocation.builder();
  }

  public static FilesystemLocation of(String path) {
    return builder().path(path).build();
  }

  @Value.Check
  protected void check() {
    StorageValidation.requireText(PROVIDER, "path", path());
    StorageValidation.requireSingleLine(PROVIDER, "path", path());
    if (!path().startsWith("/")) {
      throw new IllegalArgumentException(
          "filesystem storage path must be absolute (start with '/'): " + path());
    }
    checkMode("fileMode", fileMode());
    checkMode("dirMode", dirMode());
    checkId("ownerUid", ownerUid());
    checkId("ownerGid", ownerGid());
  }

  private static void checkMode(String field, OptionalInt mode) {
    if (mode.isPresent() && (mode.getAsInt() < 0 || mode.getAsInt() > 07777)) {
      throw new IllegalArgumentException(
          "filesystem storage " + field + " must be between 0 and 07777 (octal)");
    }
  }

  private static void checkId(String field, OptionalInt id) {
    if (id.isPresent() && id.getAsInt() < 0) {
      throw new IllegalArgumentException("filesystem storage " + field + " must not be negative");
    }
  }

  @Override
  public final String provider() {
    return PROVIDER;
  }

  @Override
  public final String storageType() {
    return "filesystem";
  }

  @Override
  public List<String> providerArgs() {
    ImmutableList.Builder<String> args = ImmutableList.builder();
    args.add(PROVIDER, "--path=" + path());
    ownerUid().ifPresent(uid -> args.add("--owner-uid=" + uid));
    ownerGid().ifPresent(gid -> args.add("--owner-gid=" + gid));
    fileMode().ifPresent(mode -> args.add("--file-mode=" + octal(mode)));
    dirMode().ifPresent(mode -> args.add("--dir-mode=" + octal(mode)));
    return args.build();
  }

  private static String octal(int mode) {
    return "0" + Integer.toOctalString(mode);
  }

  @Override
  public Map<String, String> secretEnvironment() {
    return ImmutableMap.of();
  }

  @Override
  public String displayName() {
    return "filesystem:" + path();
  }
}
