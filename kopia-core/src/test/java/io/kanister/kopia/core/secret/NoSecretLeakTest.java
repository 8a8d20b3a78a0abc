package io.kanister.kopia.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kanister.kopia.core.config.ApiServerConnection;
import io.kanister.kopia.core.config.ClientOptions;
import io.kanister.kopia.core.config.DirectConnection;
import io.kanister.kopia.core.config.RepositoryConfig;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.storage.AzureLocation;
import io.kanister.kopia.core.storage.B2Location;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every secret handed to the storage, config and user types stays out of argv, logs and errors. */
class NoSecretLeakTest {
  private static final String S3_KEY_ID = "LEAK-s3-key-id";
  private static final String S3_SECRET = "LEAK-s3-secret";
  private static final String S3_TOKEN = "LEAK-s3-token";
  private static final String AZURE_KEY = "LEAK-azure-key";
  private static final String AZURE_SAS = "LEAK-azure-sas";
  private static final String GCS_JSON = "{\"private_key\":\"LEAK-gcs-key\"}";
  private static final String B2_ID = "LEAK-b2-id";
  private static final String B2_KEY = "LEAK-b2-key";
  private static final String PASSWORD = "LEAK-password";

  private static List<StorageLocation> locations() {
    return List.of(
        S3Location.builder()
            .bucket("b")
            .endpoint("http://minio:9000")
            .accessKeyId(SecretValue.of(S3_KEY_ID))
            .secretAccessKey(SecretValue.of(S3_SECRET))
            .sessionToken(SecretValue.of(S3_TOKEN))
            .build(),
        AzureLocation.builder()
            .container("c")
            .storageAccount("acct")
            .storageKey(SecretValue.of(AZURE_KEY))
            .build(),
        AzureLocation.builder()
            .container("c")
            .storageAccount("acct")
            .sasToken(SecretValue.of(AZURE_SAS))
            .build(),
        GcsLocation.builder()
            .bucket("g")
            .credentialsFile("/creds.json")
            .credentialsJson(SecretValue.of(GCS_JSON))
            .build(),
        B2Location.builder()
            .bucket("b")
            .keyId(SecretValue.of(B2_ID))
            .key(SecretValue.of(B2_KEY))
            .build());
  }

  private static void assertNoSecretIn(String text) {
    assertThat(text)
        .doesNotContain(S3_KEY_ID, S3_SECRET, S3_TOKEN, AZURE_KEY, AZURE_SAS)
        .doesNotContain("LEAK-gcs-key", B2_ID, B2_KEY, PASSWORD);
  }

  private static void assertNoSecretInFailure(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isNotNull();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertNoSecretIn(String.valueOf(t.getMessage()));
      assertNoSecretIn(t.toString());
    }
  }

  @Test
  void storageArgsDisplayNamesAndToStrings() {
    for (StorageLocation location : locations()) {
      assertNoSecretIn(String.join(" ", location.providerArgs()));
      assertNoSecretIn(location.displayName());
      assertNoSecretIn(location.toString());
    }
  }

  @Test
  void secretsOnlyReachTheEnvironment() {
    List<String> environmentValues = new ArrayList<>();
    locations().forEach(l -> environmentValues.addAll(l.secretEnvironment().values()));

    assertThat(environmentValues)
        .contains(S3_KEY_ID, S3_SECRET, S3_TOKEN, AZURE_KEY, AZURE_SAS, B2_ID, B2_KEY);
  }

  @Test
  void configValuesToStrings() {
    for (StorageLocation location : locations()) {
      RepositoryConfig config =
          RepositoryConfig.builder()
              .connection(new DirectConnection(location))
              .clientOptions(ClientOptions.of("h", "u"))
              .build();
      assertNoSecretIn(config.toString());
      assertNoSecretIn(RepositoryConfigFile.parse(RepositoryConfigFile.render(config)).toString());
    }
  }

  @Test
  void userValuesToStrings() {
    UserPasswordHash hash = UserPasswordHash.create(SecretValue.of(PASSWORD));
    String profileJson =
        "{\"username\":\"a@b\",\"passwordHashVersion\":2,\"passwordHash\":\""
            + hash.passwordHashBase64()
            + "\"}";

    assertNoSecretIn(hash.toString());
    assertThat(hash.toString()).doesNotContain(hash.passwordHashBase64());
    assertThat(UserProfile.parse(profileJson).toString()).doesNotContain(hash.passwordHashBase64());
  }

  @Test
  void exceptionMessages() {
    assertNoSecretInFailure(
        () ->
            S3Location.builder()
                .bucket("b")
                .endpoint("https://" + S3_KEY_ID + ":" + S3_SECRET + "@host")
                .accessKeyId(SecretValue.of(S3_KEY_ID))
                .secretAccessKey(SecretValue.of(S3_SECRET))
                .build());
    assertNoSecretInFailure(
        () ->
            S3Location.builder()
                .bucket(" ")
                .accessKeyId(SecretValue.of(S3_KEY_ID))
                .secretAccessKey(SecretValue.of(S3_SECRET))
                .build());
    assertNoSecretInFailure(
        () -> S3Location.builder().secretAccessKey(SecretValue.of(S3_SECRET)).build());
    assertNoSecretInFailure(
        () ->
            AzureLocation.builder()
                .container("c")
                .storageAccount("a")
                .storageKey(SecretValue.of(AZURE_KEY))
                .sasToken(SecretValue.of(AZURE_SAS))
                .build());
    assertNoSecretInFailure(
        () -> GcsLocation.builder().bucket("g").credentialsJson(SecretValue.of(GCS_JSON)).build());
    assertNoSecretInFailure(
        () ->
            RepositoryConfigFile.render(
                RepositoryConfig.builder()
                    .connection(
                        new DirectConnection(
                            GcsLocation.builder()
                                .bucket("g")
                                .credentialsFile("/c")
                                .credentialsJson(SecretValue.of(GCS_JSON + "{"))
                                .build()))
                    .clientOptions(ClientOptions.of("h", "u"))
                    .build()));
    assertNoSecretInFailure(
        () -> RepositoryConfigFile.parse("{\"secretAccessKey\":\"" + S3_SECRET + "\" x"));
    assertNoSecretInFailure(
        () ->
            RepositoryConfigFile.parse(
                "{\"storage\":{\"type\":\"s3\",\"config\":{\"bucket\":\"\","
                    + "\"secretAccessKey\":\""
                    + S3_SECRET
                    + "\"}}}"));
    assertNoSecretInFailure(
        () -> new ApiServerConnection("http://u:" + PASSWORD + "@h", null, null));
    assertNoSecretInFailure(() -> UserPasswordHash.decode(PASSWORD));
    assertNoSecretInFailure(() -> UserPasswordHash.of(2, PASSWORD + "!"));
    assertNoSecretInFailure(() -> UserProfile.parseList("[{\"passwordHash\":\"" + PASSWORD));
    assertNoSecretInFailure(
        () -> CertificateFingerprint.of("-----BEGIN PRIVATE KEY-----\n" + PASSWORD));
  }
}
