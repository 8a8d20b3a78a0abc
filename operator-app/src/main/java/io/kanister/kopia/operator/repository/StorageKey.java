package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.storage.AzureLocation;
import io.kanister.kopia.core.storage.B2Location;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.model.secret.SecretData;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A storage location reduced to what says where the blobs are (type, endpoint, bucket or container,
 * prefix, or a normalised path), without credentials, so two Repositories on one repository can be
 * told apart from two on different ones. Prefixes compare as given: Kopia prefixes blob names with
 * them verbatim, so {@code a} and {@code a/} are different places.
 */
public record StorageKey(String text) {
  private static final String AWS_DEFAULT_ENDPOINT = "s3.amazonaws.com";

  public static StorageKey of(StorageLocation location) {
    return new StorageKey(text(location));
  }

  private static String text(StorageLocation location) {
    if (location instanceof FilesystemLocation fs) {
      return "filesystem:" + Path.of(fs.path()).normalize();
    }
    if (location instanceof S3Location s3) {
      return "s3:"
          + s3.endpoint().map(StorageKey::host).orElse(AWS_DEFAULT_ENDPOINT)
          + "/"
          + s3.bucket()
          + "/"
          + s3.prefix().orElse("");
    }
    if (location instanceof GcsLocation gcs) {
      return "gcs:" + gcs.bucket() + "/" + gcs.prefix().orElse("");
    }
    if (location instanceof AzureLocation azure) {
      return "azure:"
          + azure.storageAccount().toLowerCase(Locale.ROOT)
          + "."
          + azure.storageDomain().orElse("blob.core.windows.net")
          + "/"
          + azure.container()
          + "/"
          + azure.prefix().orElse("");
    }
    B2Location b2 = (B2Location) location;
    return "b2:" + b2.bucket() + "/" + b2.prefix().orElse("");
  }

  /** The key of a location Secret's content, when it parses. */
  public static Optional<StorageKey> of(SecretData locationSecret) {
    var parsed = LocationSecretParser.parse(locationSecret);
    return parsed.isValid() ? Optional.of(of(parsed.value().storage())) : Optional.empty();
  }

  /** {@code https://Host:443/} and {@code host:443} name the same endpoint. */
  private static String host(String endpoint) {
    String host = endpoint.strip().toLowerCase(Locale.ROOT);
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    while (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    return host;
  }
}
