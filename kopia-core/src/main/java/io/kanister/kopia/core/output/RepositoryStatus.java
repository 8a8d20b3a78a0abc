package io.kanister.kopia.core.output;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * What {@code kopia repository status --json} reports.
 *
 * <p>For a connection through a Kopia API server only {@link #configFile()} and {@link
 * #clientOptions()} are meaningful, so the storage and format parts are optional.
 */
@Value.Immutable
public interface RepositoryStatus {

  String configFile();

  /** Kopia prints this as {@code uniqueIDHex}. */
  Optional<String> uniqueIdHex();

  ClientOptions clientOptions();

  /** The storage provider, e.g. {@code filesystem}, {@code s3}, {@code gcs}. */
  Optional<String> storageType();

  Optional<ContentFormat> contentFormat();

  Optional<String> splitter();

  static RepositoryStatus parse(String json) {
    return RepositoryStatusParser.parse(json);
  }
}
