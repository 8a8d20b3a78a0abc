package io.kanister.kopia.core.storage;

import java.util.List;
import java.util.Map;

/**
 * Where a Kopia repository's blobs live, as understood by {@code kopia repository create|connect
 * <provider>}. Secrets are only ever exposed through {@link #secretEnvironment()}, never through
 * the arguments or the display name.
 */
public sealed interface StorageLocation
    permits FilesystemLocation, S3Location, GcsLocation, AzureLocation, B2Location {

  /** The provider subcommand, e.g. {@code s3}. */
  String provider();

  /** The {@code storage.type} value Kopia writes to {@code repo.config}, e.g. {@code azureBlob}. */
  String storageType();

  /**
   * The provider subcommand followed by its flags, e.g. {@code [s3, --bucket=b, --prefix=p/]}; to
   * be appended after {@code repository create} or {@code repository connect}.
   */
  List<String> providerArgs();

  /** Environment variables carrying the credentials that Kopia reads instead of flags. */
  Map<String, String> secretEnvironment();

  /**
   * Plain environment variables Kopia reads for this provider, such as an account name: not secret,
   * and kept apart so that an argument may contain them.
   */
  default Map<String, String> environment() {
    return Map.of();
  }

  /** A human-readable location without any credential, e.g. {@code s3://bucket/prefix}. */
  String displayName();
}
