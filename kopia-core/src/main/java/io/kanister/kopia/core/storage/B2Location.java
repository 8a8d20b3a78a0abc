package io.kanister.kopia.core.storage;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.kanister.kopia.core.secret.SecretValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** A Backblaze B2 bucket: {@code kopia repository ... b2} (deprecated in Kopia, still shipped). */
@Value.Immutable
public abstract non-sealed class B2Location implements StorageLocation {
  static final String PROVIDER = "b2";
  static final String KEY_ID_ENV = "B2_KEY_ID";
  static final String KEY_ENV = "B2_KEY";

  public abstract String bucket();

  public abstract Optional<String> prefix();

  public abstract SecretValue keyId();

  public abstract SecretValue key();

  public static ImmutableB2Location.Builder builder() {
    return ImmutableB2Location.builder();
  }

  @Value.Check
  protected void check() {
    StorageValidation.requireText(PROVIDER, "bucket", bucket());
    StorageValidation.requireSingleLine(PROVIDER, "bucket", bucket());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "prefix", prefix());
    StorageValidation.requireSecret(PROVIDER, "keyId", keyId());
    StorageValidation.requireSecret(PROVIDER, "key", key());
  }

  @Override
  public final String provider() {
    return PROVIDER;
  }

  @Override
  public final String storageType() {
    return "b2";
  }

  @Override
  public List<String> providerArgs() {
    ImmutableList.Builder<String> args = ImmutableList.builder();
    args.add(PROVIDER, "--bucket=" + bucket());
    prefix().ifPresent(p -> args.add("--prefix=" + p));
    return args.build();
  }

  @Override
  public Map<String, String> secretEnvironment() {
    return ImmutableMap.of(KEY_ID_ENV, keyId().reveal(), KEY_ENV, key().reveal());
  }

  @Override
  public String displayName() {
    return "b2://" + bucket() + "/" + prefix().orElse("");
  }
}
