package io.kanister.kopia.core.policy;

import static io.kanister.kopia.core.policy.PolicyValueRules.requireAtLeast;
import static io.kanister.kopia.core.policy.PolicyValueRules.requireNoBlankEntries;

import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * Which files a snapshot includes. Empty optionals and empty sets inherit from the parent.
 *
 * <p>Kopia's {@code noParentIgnore}/{@code noParentDotFiles} have no {@code policy set} flag and
 * are not modelled.
 */
@Value.Immutable
public abstract class FilesPolicy {
  /** Gitignore-style rules, e.g. {@code *.tmp} or {@code cache/}. */
  public abstract Set<String> ignoreRules();

  /** Names of files read for further ignore rules, e.g. {@code .kopiaignore}. */
  public abstract Set<String> dotIgnoreFiles();

  /** Files larger than this many bytes are skipped; positive because Kopia reads 0 as unset. */
  public abstract Optional<Long> maxFileSize();

  public abstract Optional<Boolean> oneFileSystem();

  public abstract Optional<Boolean> ignoreCacheDirs();

  public static ImmutableFilesPolicy.Builder builder() {
    return ImmutableFilesPolicy.builder();
  }

  @Value.Check
  protected void check() {
    requireNoBlankEntries("ignoreRules", ignoreRules());
    requireNoBlankEntries("dotIgnoreFiles", dotIgnoreFiles());
    for (String name : dotIgnoreFiles()) {
      if (name.contains("/")) {
        throw new InvalidPolicyException(
            "dotIgnoreFiles entries are file names, not paths: '" + name + "'");
      }
    }
    requireAtLeast("maxFileSize", maxFileSize(), 1);
  }
}
