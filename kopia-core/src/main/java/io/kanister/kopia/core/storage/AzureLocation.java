package io.kanister.kopia.core.storage;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.kanister.kopia.core.secret.SecretValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An Azure Blob Storage container: {@code kopia repository ... azure} (storage type {@code
 * azureBlob}). Authenticates with either the account key or a SAS token.
 */
@Value.Immutable
public abstract non-sealed class AzureLocation implements StorageLocation {
  static final String PROVIDER = "azure";
  static final String ACCOUNT_ENV = "AZURE_STORAGE_ACCOUNT";
  static final String KEY_ENV = "AZURE_STORAGE_KEY";
  static final String SAS_TOKEN_ENV = "AZURE_STORAGE_SAS_TOKEN";

  public abstract String container();

  public abstract Optional<String> prefix();

  public abstract String storageAccount();

  public abstract Optional<SecretValue> storageKey();

  public abstract Optional<SecretValue> sasToken();

  /** e.g. {@code blob.core.chinacloudapi.cn}; Kopia defaults to the public cloud. */
  public abstract Optional<String> storageDomain();

  public static ImmutableAzureLocation.Builder builder() {
    return ImmutableAzureLocation.builder();
  }

  @Value.Check
  protected void check() {
    StorageValidation.requireText(PROVIDER, "container", container());
    StorageValidation.requireSingleLine(PROVIDER, "container", container());
    StorageValidation.requireText(PROVIDER, "storageAccount", storageAccount());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "prefix", prefix());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "storageDomain", storageDomain());
    storageKey().ifPresent(k -> StorageValidation.requireSecret(PROVIDER, "storageKey", k));
    sasToken().ifPresent(t -> StorageValidation.requireSecret(PROVIDER, "sasToken", t));
    if (storageKey().isPresent() == sasToken().isPresent()) {
      throw new IllegalArgumentException(
          "azure storage requires exactly one of storageKey or sasToken");
    }
  }

  @Override
  public final String provider() {
    return PROVIDER;
  }

  @Override
  public final String storageType() {
    return "azureBlob";
  }

  @Override
  public List<String> providerArgs() {
    ImmutableList.Builder<String> args = ImmutableList.builder();
    args.add(PROVIDER, "--container=" + container());
    prefix().ifPresent(p -> args.add("--prefix=" + p));
    storageDomain().ifPresent(d -> args.add("--storage-domain=" + d));
    return args.build();
  }

  /** The account name is no secret; a container or prefix may well repeat it. */
  @Override
  public Map<String, String> environment() {
    return Map.of(ACCOUNT_ENV, storageAccount());
  }

  @Override
  public Map<String, String> secretEnvironment() {
    ImmutableMap.Builder<String, String> env = ImmutableMap.builder();
    storageKey().ifPresent(k -> env.put(KEY_ENV, k.reveal()));
    sasToken().ifPresent(t -> env.put(SAS_TOKEN_ENV, t.reveal()));
    return env.build();
  }

  @Override
  public String displayName() {
    return "azure://" + storageAccount() + "/" + container() + "/" + prefix().orElse("");
  }
}
