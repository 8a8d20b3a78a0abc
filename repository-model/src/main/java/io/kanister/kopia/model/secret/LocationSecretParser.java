package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.AzureLocation;
import io.kanister.kopia.core.storage.B2Location;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.model.validation.Validated;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the Secret named by {@code spec.location.secretName}: flat keys, because Secret data is a
 * flat map (the seed's nested {@code storage:} block does not fit in one). See docs/secrets.md.
 */
public final class LocationSecretParser {
  public static final String TYPE = "type";
  public static final String REPO_PASSWORD = "repo-password";
  public static final String BUCKET = "bucket";
  public static final String PREFIX = "prefix";
  public static final String ENDPOINT = "endpoint";
  public static final String REGION = "region";
  public static final String ACCESS_KEY = "access-key";
  public static final String SECRET_ACCESS_KEY = "secret-access-key";
  public static final String SESSION_TOKEN = "session-token";
  public static final String DISABLE_TLS = "disable-tls";
  public static final String DISABLE_TLS_VERIFICATION = "disable-tls-verification";
  public static final String ROOT_CA_PEM = "root-ca-pem";
  public static final String CREDENTIALS_JSON = "credentials.json";
  public static final String CONTAINER = "container";
  public static final String STORAGE_ACCOUNT = "storage-account";
  public static final String STORAGE_KEY = "storage-key";
  public static final String SAS_TOKEN = "sas-token";
  public static final String STORAGE_DOMAIN = "storage-domain";
  public static final String PATH = "path";
  public static final String KEY_ID = "key-id";
  public static final String KEY = "key";

  /**
   * Where the GCS credentials are written for Kopia, which reads them only from a file; override
   * with {@link #parse(SecretData, String)} when running Kopia elsewhere.
   */
  public static final String DEFAULT_GCS_CREDENTIALS_FILE = "/run/kopia/gcs-credentials.json";

  /** The storage providers a location Secret may name in its {@code type} key. */
  public enum StorageType {
    S3(
        "s3",
        BUCKET,
        PREFIX,
        ENDPOINT,
        REGION,
        ACCESS_KEY,
        SECRET_ACCESS_KEY,
        SESSION_TOKEN,
        DISABLE_TLS,
        DISABLE_TLS_VERIFICATION,
        ROOT_CA_PEM),
    GCS("gcs", BUCKET, PREFIX, CREDENTIALS_JSON),
    AZURE("azure", CONTAINER, PREFIX, STORAGE_ACCOUNT, STORAGE_KEY, SAS_TOKEN, STORAGE_DOMAIN),
    FILESYSTEM("filesystem", PATH),
    B2("b2", BUCKET, PREFIX, KEY_ID, KEY);

    private final String value;
    private final Set<String> keys;

    StorageType(String value, String... providerKeys) {
      this.value = value;
      this.keys =
          Stream.concat(Stream.of(TYPE, REPO_PASSWORD), Arrays.stream(providerKeys))
              .collect(Collectors.toUnmodifiableSet());
    }

    public String value() {
      return value;
    }

    /** Every key a Secret of this type may hold. */
    public Set<String> keys() {
      return keys;
    }

    static Optional<StorageType> fromValue(String text) {
      String wanted = text.toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(t -> t.value.equals(wanted)).findFirst();
    }

    static String allValues() {
      return Arrays.stream(values()).map(StorageType::value).collect(Collectors.joining(", "));
    }
  }

  private LocationSecretParser() {}

  public static Validated<RepositoryLocation> parse(SecretData data) {
    return parse(data, DEFAULT_GCS_CREDENTIALS_FILE);
  }

  public static Validated<RepositoryLocation> parse(SecretData data, String gcsCredentialsFile) {
    return parse(data, gcsCredentialsFile, FilesystemRoots.anywhere());
  }

  /**
   * @param roots where a filesystem location may be; {@code ..} is refused even without roots
   */
  public static Validated<RepositoryLocation> parse(
      SecretData data, String gcsCredentialsFile, FilesystemRoots roots) {
    SecretReader reader = new SecretReader(data, Set.of(ROOT_CA_PEM, CREDENTIALS_JSON));
    Optional<StorageType> type =
        reader
            .required(TYPE, "the storage type: one of " + StorageType.allValues())
            .flatMap(
                text -> {
                  Optional<StorageType> known = StorageType.fromValue(text);
                  if (known.isEmpty()) {
                    reader.problem(TYPE, "must be one of " + StorageType.allValues());
                  }
                  return known;
                });
    Optional<SecretValue> password =
        reader.requiredSecret(REPO_PASSWORD, "the password that encrypts the repository");
    if (type.isEmpty()) {
      return reader.invalid();
    }
    reader.rejectUnknownKeys(type.get().keys(), "by type " + type.get().value());
    Supplier<StorageLocation> storage =
        switch (type.get()) {
          case S3 -> s3(reader);
          case GCS -> gcs(reader, gcsCredentialsFile);
          case AZURE -> azure(reader);
          case FILESYSTEM -> filesystem(reader, roots);
          case B2 -> b2(reader);
        };
    if (!reader.problems().isEmpty()) {
      return reader.invalid();
    }
    try {
      StorageLocation location = storage.get();
      return Validated.valid(new RepositoryLocation(location, password.orElseThrow()));
    } catch (IllegalArgumentException e) {
      // kopia-core's storage checks name fields, never values; those left after ours are rare.
      reader.problemWithSecret(
          "does not describe a valid " + type.get().value() + " location: " + e.getMessage());
      return reader.invalid();
    }
  }

  private static Supplier<StorageLocation> s3(SecretReader reader) {
    Optional<String> bucket = reader.required(BUCKET, "the S3 bucket name");
    Optional<String> prefix = reader.optional(PREFIX);
    Optional<String> endpoint = reader.optional(ENDPOINT);
    endpoint.ifPresent(e -> checkEndpoint(reader, e));
    Optional<String> region = reader.optional(REGION);
    Optional<SecretValue> accessKey = reader.requiredSecret(ACCESS_KEY, "the S3 access key ID");
    Optional<SecretValue> secretKey =
        reader.requiredSecret(SECRET_ACCESS_KEY, "the S3 secret access key");
    Optional<SecretValue> sessionToken = reader.optionalSecret(SESSION_TOKEN);
    Optional<Boolean> disableTls = reader.optionalBoolean(DISABLE_TLS);
    Optional<Boolean> disableTlsVerification = reader.optionalBoolean(DISABLE_TLS_VERIFICATION);
    Optional<String> rootCa = reader.optional(ROOT_CA_PEM);
    rootCa.ifPresent(
        pem -> {
          if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            reader.problem(ROOT_CA_PEM, "must be a PEM certificate (-----BEGIN CERTIFICATE-----)");
          }
        });
    if (endpoint.map(e -> e.toLowerCase(Locale.ROOT).startsWith("https://")).orElse(false)
        && disableTls.orElse(false)) {
      reader.problem(
          DISABLE_TLS, "is true but the endpoint starts with https://; use http:// or drop one");
    }
    return () ->
        S3Location.builder()
            .bucket(bucket.orElseThrow())
            .prefix(prefix)
            .endpoint(endpoint)
            .region(region)
            .accessKeyId(accessKey.orElseThrow())
            .secretAccessKey(secretKey.orElseThrow())
            .sessionToken(sessionToken)
            .disableTls(disableTls.orElse(false))
            .disableTlsVerification(disableTlsVerification.orElse(false))
            .rootCaPem(rootCa)
            .build();
  }

  private static void checkEndpoint(SecretReader reader, String endpoint) {
    String rest = endpoint;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      String name = rest.substring(0, scheme).toLowerCase(Locale.ROOT);
      if (!name.equals("http") && !name.equals("https")) {
        reader.problem(ENDPOINT, "must start with http://, https:// or be host[:port]");
        return;
      }
      rest = rest.substring(scheme + 3);
    }
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty() || rest.contains("/") || rest.contains("@") || rest.contains(" ")) {
      reader.problem(
          ENDPOINT,
          "must be host[:port], optionally after http:// or https://, without a path or user"
              + " info");
    }
  }

  private static Supplier<StorageLocation> gcs(SecretReader reader, String credentialsFile) {
    Optional<String> bucket = reader.required(BUCKET, "the GCS bucket name");
    Optional<String> prefix = reader.optional(PREFIX);
    Optional<SecretValue> credentials = reader.optionalSecret(CREDENTIALS_JSON);
    credentials.ifPresent(
        json -> {
          if (!json.reveal().strip().startsWith("{")) {
            reader.problem(CREDENTIALS_JSON, "must be a service-account key in JSON ({...})");
          }
        });
    return () ->
        GcsLocation.builder()
            .bucket(bucket.orElseThrow())
            .prefix(prefix)
            .credentialsJson(credentials)
            .credentialsFile(credentials.map(json -> credentialsFile))
            .build();
  }

  private static Supplier<StorageLocation> azure(SecretReader reader) {
    Optional<String> container = reader.required(CONTAINER, "the Azure Blob container name");
    Optional<String> prefix = reader.optional(PREFIX);
    Optional<String> account = reader.required(STORAGE_ACCOUNT, "the Azure storage account name");
    Optional<SecretValue> key = reader.optionalSecret(STORAGE_KEY);
    Optional<SecretValue> sasToken = reader.optionalSecret(SAS_TOKEN);
    Optional<String> domain = reader.optional(STORAGE_DOMAIN);
    if (reader.has(STORAGE_KEY) == reader.has(SAS_TOKEN)) {
      reader.problemWithSecret(
          "azure needs exactly one of the keys '"
              + STORAGE_KEY
              + "' or '"
              + SAS_TOKEN
              + "'; "
              + (reader.has(STORAGE_KEY) ? "remove one" : "add one"));
    }
    return () ->
        AzureLocation.builder()
            .container(container.orElseThrow())
            .prefix(prefix)
            .storageAccount(account.orElseThrow())
            .storageKey(key)
            .sasToken(sasToken)
            .storageDomain(domain)
            .build();
  }

  private static Supplier<StorageLocation> filesystem(SecretReader reader, FilesystemRoots roots) {
    Optional<String> path = reader.required(PATH, "the absolute path of the repository directory");
    path.flatMap(roots::problem).ifPresent(problem -> reader.problem(PATH, problem));
    // Normalized, so the operator and the server open the very directory that was checked.
    return () -> FilesystemLocation.of(FilesystemRoots.normalize(path.orElseThrow()));
  }

  private static Supplier<StorageLocation> b2(SecretReader reader) {
    Optional<String> bucket = reader.required(BUCKET, "the B2 bucket name");
    Optional<String> prefix = reader.optional(PREFIX);
    Optional<SecretValue> keyId = reader.requiredSecret(KEY_ID, "the B2 application key ID");
    Optional<SecretValue> key = reader.requiredSecret(KEY, "the B2 application key");
    return () ->
        B2Location.builder()
            .bucket(bucket.orElseThrow())
            .prefix(prefix)
            .keyId(keyId.orElseThrow())
            .key(key.orElseThrow())
            .build();
  }

  /** The keys of every storage type, for documentation and tests. */
  public static List<String> allKeys() {
    return Arrays.stream(StorageType.values())
        .flatMap(t -> t.keys().stream())
        .distinct()
        .sorted()
        .toList();
  }
}
