package io.kanister.kopia.core.storage;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.kanister.kopia.core.secret.SecretValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A Google Cloud Storage bucket: {@code kopia repository ... gcs}.
 *
 * <p>Kopia takes GCS credentials only as a file ({@code --credentials-file}, which must exist); the
 * caller writes {@link #credentialsJson()} to {@link #credentialsFile()} before running Kopia.
 * Without credentials Kopia falls back to Google's application-default credentials.
 */
@Value.Immutable
public abstract non-sealed class GcsLocation implements StorageLocation {
  static final String PROVIDER = "gcs";

  public abstract String bucket();

  public abstract Optional<String> prefix();

  /** Where the service-account JSON is (or will be written by the caller). */
  public abstract Optional<String> credentialsFile();

  /** The service-account key JSON, if the caller holds it rather than a ready file. */
  public abstract Optional<SecretValue> credentialsJson();

  /** Open the bucket with the read-only scope. */
  @Value.Default
  public boolean readOnly() {
    return false;
  }

  public static ImmutableGcsLocation.Builder builder() {
    return ImmutableGcsLocation.builder();
  }

  @Value.Check
  protected void check() {
    StorageValidation.requireText(PROVIDER, "bucket", bucket());
    StorageValidation.requireSingleLine(PROVIDER, "bucket", bucket());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "prefix", prefix());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "credentialsFile", credentialsFile());
    credentialsJson()
        .ifPresent(json -> StorageValidation.requireSecret(PROVIDER, "credentialsJson", json));
    if (credentialsJson().isPresent() && credentialsFile().isEmpty()) {
      throw new IllegalArgumentException(
          "gcs storage credentialsJson needs a credentialsFile to be written to: Kopia only reads"
              + " GCS credentials from a file");
    }
  }

  @Override
  public final String provider() {
    return PROVIDER;
  }

  @Override
  public final String storageType() {
    return "gcs";
  }

  @Override
  public List<String> providerArgs() {
    ImmutableList.Builder<String> args = ImmutableList.builder();
    args.add(PROVIDER, "--bucket=" + bucket());
    prefix().ifPresent(p -> args.add("--prefix=" + p));
    credentialsFile().ifPresent(f -> args.add("--credentials-file=" + f));
    if (readOnly()) {
      args.add("--read-only");
    }
    return args.build();
  }

  @Override
  public Map<String, String> secretEnvironment() {
    return ImmutableMap.of();
  }

  @Override
  public String displayName() {
    return "gs://" + bucket() + "/" + prefix().orElse("");
  }
}
