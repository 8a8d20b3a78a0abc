package io.kanister.kopia.model.secret;

import static io.kanister.kopia.model.secret.SecretFixtures.data;
import static io.kanister.kopia.model.secret.SecretFixtures.problemsOf;
import static io.kanister.kopia.model.secret.SecretFixtures.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.AzureLocation;
import io.kanister.kopia.core.storage.B2Location;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.model.validation.Validated;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocationSecretParserTest {
  private static final String[] SEED_S3 = {
    "type", "s3",
    "bucket", "my-bucket",
    "endpoint", "https://foo.example.com",
    "prefix", "my-prefix/",
    "region", "us-west-1",
    "repo-password", "repo-password-value-1",
    "access-key", "ACCESS-KEY-VALUE-2",
    "secret-access-key", "secret-access-key-value-3"
  };

  @Test
  void readsTheSeedS3Location() {
    RepositoryLocation location = LocationSecretParser.parse(data(SEED_S3)).value();

    assertThat(location.repositoryPassword()).isEqualTo(SecretValue.of("repo-password-value-1"));
    S3Location s3 = (S3Location) location.storage();
    assertThat(s3.bucket()).isEqualTo("my-bucket");
    assertThat(s3.endpointHostPort()).contains("foo.example.com");
    assertThat(s3.tlsDisabled()).isFalse();
    assertThat(s3.prefix()).contains("my-prefix/");
    assertThat(s3.region()).contains("us-west-1");
    assertThat(s3.accessKeyId()).isEqualTo(SecretValue.of("ACCESS-KEY-VALUE-2"));
    assertThat(s3.secretAccessKey()).isEqualTo(SecretValue.of("secret-access-key-value-3"));
    assertThat(location).hasToString("s3://my-bucket/my-prefix/");
  }

  @Test
  void readsAllS3Options() {
    S3Location s3 =
        (S3Location)
            LocationSecretParser.parse(
                    data(
                        "type", "s3",
                        "bucket", "b",
                        "endpoint", "minio.minio.svc:9000",
                        "repo-password", "p",
                        "access-key", "a",
                        "secret-access-key", "s",
                        "session-token", "t",
                        "disable-tls", "TRUE",
                        "disable-tls-verification", "false",
                        "root-ca-pem",
                            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"))
                .value()
                .storage();

    assertThat(s3.sessionToken()).contains(SecretValue.of("t"));
    assertThat(s3.disableTls()).isTrue();
    assertThat(s3.disableTlsVerification()).isFalse();
    assertThat(s3.rootCaPem()).isPresent();
  }

  @Test
  void dropsStrayWhitespace() {
    RepositoryLocation location =
        LocationSecretParser.parse(
                data(
                    "type", " S3\n",
                    "bucket", "my-bucket\n",
                    "region", "\tus-west-1 ",
                    "repo-password", "pass word\r\n",
                    "access-key", "ACCESS-KEY-VALUE-2\n",
                    "secret-access-key", "secret-access-key-value-3\n"))
            .value();

    S3Location s3 = (S3Location) location.storage();
    assertThat(s3.bucket()).isEqualTo("my-bucket");
    assertThat(s3.region()).contains("us-west-1");
    assertThat(s3.accessKeyId()).isEqualTo(SecretValue.of("ACCESS-KEY-VALUE-2"));
    // Inner spaces may belong to a password; only the trailing line break is a typing slip.
    assertThat(location.repositoryPassword()).isEqualTo(SecretValue.of("pass word"));
  }

  @Test
  void readsGcsAzureFilesystemAndB2() {
    GcsLocation gcs =
        (GcsLocation)
            LocationSecretParser.parse(
                    data(
                        "type", "gcs",
                        "bucket", "b",
                        "repo-password", "p",
                        "credentials.json", "{\"type\": \"service_account\"}"))
                .value()
                .storage();
    assertThat(gcs.credentialsFile()).contains(LocationSecretParser.DEFAULT_GCS_CREDENTIALS_FILE);
    assertThat(gcs.credentialsJson()).isPresent();

    GcsLocation applicationDefault =
        (GcsLocation)
            LocationSecretParser.parse(data("type", "gcs", "bucket", "b", "repo-password", "p"))
                .value()
                .storage();
    assertThat(applicationDefault.credentialsFile()).isEmpty();

    AzureLocation azure =
        (AzureLocation)
            LocationSecretParser.parse(
                    data(
                        "type", "azure",
                        "container", "c",
                        "storage-account", "acct",
                        "sas-token", "sv=2022",
                        "prefix", "x/",
                        "repo-password", "p"))
                .value()
                .storage();
    assertThat(azure.sasToken()).contains(SecretValue.of("sv=2022"));
    assertThat(azure.storageKey()).isEmpty();

    assertThat(
            LocationSecretParser.parse(
                    data("type", "filesystem", "path", "/repo", "repo-password", "p"))
                .value()
                .storage())
        .isEqualTo(FilesystemLocation.of("/repo"));

    B2Location b2 =
        (B2Location)
            LocationSecretParser.parse(
                    data(
                        "type",
                        "b2",
                        "bucket",
                        "b",
                        "key-id",
                        "k",
                        "key",
                        "v",
                        "repo-password",
                        "p"))
                .value()
                .storage();
    assertThat(b2.keyId()).isEqualTo(SecretValue.of("k"));
  }

  @Test
  void reportsMissingKeys() {
    SecretData empty = data();
    assertThat(texts(problemsOf(LocationSecretParser.parse(empty), empty)))
        .containsExactly(
            "Secret kanister/repository-monitoring-location, key 'type': is missing; add the"
                + " storage type: one of s3, gcs, azure, filesystem, b2",
            "Secret kanister/repository-monitoring-location, key 'repo-password': is missing; add"
                + " the password that encrypts the repository");

    SecretData s3 = data("type", "s3");
    assertThat(problemsOf(LocationSecretParser.parse(s3), s3))
        .extracting(p -> p.where())
        .containsExactly(
            SecretFixtures.REF.key("repo-password"),
            SecretFixtures.REF.key("bucket"),
            SecretFixtures.REF.key("access-key"),
            SecretFixtures.REF.key("secret-access-key"));
  }

  @Test
  void reportsAnUnknownTypeWithoutEchoingIt() {
    SecretData data = data("type", "ftp-server", "repo-password", "repo-password-value-1");

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .containsExactly(
            "Secret kanister/repository-monitoring-location, key 'type': must be one of s3, gcs,"
                + " azure, filesystem, b2");
  }

  @Test
  void reportsEmptyValues() {
    SecretData data =
        data(
            "type", "s3",
            "bucket", " \n",
            "region", "",
            "repo-password", "\n",
            "access-key", "ACCESS-KEY-VALUE-2",
            "secret-access-key", "");

    assertThat(problemsOf(LocationSecretParser.parse(data), data))
        .extracting(p -> p.where() + ": " + p.message())
        .containsExactlyInAnyOrder(
            SecretFixtures.REF.key("bucket") + ": is empty; give it a value or remove the key",
            SecretFixtures.REF.key("region") + ": is empty; give it a value or remove the key",
            SecretFixtures.REF.key("repo-password")
                + ": is empty; give it a value or remove the key",
            SecretFixtures.REF.key("secret-access-key")
                + ": is empty; give it a value or remove the key");
  }

  @Test
  void suggestsTheKeyATypoMeant() {
    // The seed's own example spells it secret-acccess-key.
    SecretData data =
        data(
            "type", "s3",
            "bucket", "my-bucket",
            "repo-password", "repo-password-value-1",
            "access-key", "ACCESS-KEY-VALUE-2",
            "secret-acccess-key", "secret-access-key-value-3");

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .anySatisfy(
            text ->
                assertThat(text)
                    .startsWith(
                        "Secret kanister/repository-monitoring-location, key"
                            + " 'secret-acccess-key': is not a known key; remove or rename it;"
                            + " did you mean 'secret-access-key'?"))
        .anySatisfy(text -> assertThat(text).contains("key 'secret-access-key': is missing"));
  }

  @Test
  void refusesKeysOfAnotherType() {
    SecretData data =
        data("type", "gcs", "bucket", "b", "region", "us-west-1", "repo-password", "p");

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .singleElement()
        .satisfies(text -> assertThat(text).contains("key 'region': is not a known key"))
        .satisfies(text -> assertThat(text).contains("keys used by type gcs:"));
  }

  @Test
  void refusesBadEndpointsWithoutEchoingThem() {
    for (String endpoint :
        new String[] {"ftp://files.example.com", "https://user:password123@minio.example.com"}) {
      SecretData data =
          data(
              "type", "s3",
              "bucket", "b",
              "endpoint", endpoint,
              "repo-password", "p",
              "access-key", "a",
              "secret-access-key", "s");

      assertThat(problemsOf(LocationSecretParser.parse(data), data))
          .singleElement()
          .satisfies(p -> assertThat(p.where()).isEqualTo(SecretFixtures.REF.key("endpoint")));
    }
  }

  @Test
  void refusesAnHttpsEndpointWithTlsDisabled() {
    SecretData data =
        data(
            "type", "s3",
            "bucket", "b",
            "endpoint", "https://minio:9000",
            "disable-tls", "true",
            "repo-password", "p",
            "access-key", "a",
            "secret-access-key", "s");

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .containsExactly(
            SecretFixtures.REF.key("disable-tls")
                + ": is true but the endpoint starts with https://; use http:// or drop one");
  }

  @Test
  void refusesAFlagThatIsNotABoolean() {
    SecretData data =
        data(
            "type", "s3",
            "bucket", "b",
            "disable-tls", "yes",
            "repo-password", "p",
            "access-key", "a",
            "secret-access-key", "s");

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .containsExactly(SecretFixtures.REF.key("disable-tls") + ": must be true or false");
  }

  @Test
  void refusesAzureWithoutExactlyOneCredential() {
    SecretData none =
        data("type", "azure", "container", "c", "storage-account", "a", "repo-password", "p");
    assertThat(texts(problemsOf(LocationSecretParser.parse(none), none)))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("exactly one of the keys 'storage-key' or"));

    SecretData both =
        data(
            "type", "azure",
            "container", "c",
            "storage-account", "a",
            "storage-key", "storage-key-value-4",
            "sas-token", "sas-token-value-5",
            "repo-password", "p");
    assertThat(texts(problemsOf(LocationSecretParser.parse(both), both)))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("remove one"));
  }

  @Test
  void refusesARelativeFilesystemPathAndBadGcsCredentials() {
    SecretData relative = data("type", "filesystem", "path", "repo/dir", "repo-password", "p");
    assertThat(texts(problemsOf(LocationSecretParser.parse(relative), relative)))
        .containsExactly(
            SecretFixtures.REF.key("path") + ": must be an absolute path (start with '/') under /");

    SecretData gcs =
        data(
            "type",
            "gcs",
            "bucket",
            "b",
            "credentials.json",
            "not-json-at-all",
            "repo-password",
            "p");
    assertThat(texts(problemsOf(LocationSecretParser.parse(gcs), gcs)))
        .containsExactly(
            SecretFixtures.REF.key("credentials.json")
                + ": must be a service-account key in JSON ({...})");
  }

  @Test
  void reportsMultiLineValuesWithoutEchoingThem() {
    SecretData data =
        data(
            "type", "s3",
            "bucket", "my-bucket\nsecond-line",
            "repo-password", "p",
            "access-key", "a",
            "secret-access-key", "s");

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .singleElement()
        .satisfies(
            t ->
                assertThat(t)
                    .isEqualTo(
                        SecretFixtures.REF.key("bucket")
                            + ": contains a control character (such as a line break, tab or"
                            + " escape) in its value; store the value without it (the value is"
                            + " not shown here)"));
  }

  @Test
  void readsAFabric8SecretWithDataAndStringData() {
    Validated<RepositoryLocation> parsed =
        LocationSecretParser.parse(
            SecretData.of(
                new SecretBuilder()
                    .withNewMetadata()
                    .withNamespace("kanister")
                    .withName("loc")
                    .endMetadata()
                    .withData(
                        Map.of(
                            "type", base64("filesystem"),
                            "repo-password", base64("from-data")))
                    .withStringData(Map.of("path", "/repo", "repo-password", "from-string-data"))
                    .build()));

    assertThat(parsed.value().storage()).isEqualTo(FilesystemLocation.of("/repo"));
    assertThat(parsed.value().repositoryPassword()).isEqualTo(SecretValue.of("from-string-data"));
  }

  @Test
  void reportsDataThatIsNotBase64OrNotUtf8() {
    SecretData data =
        SecretData.of(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("kanister")
                .withName("loc")
                .endMetadata()
                .withData(
                    Map.of(
                        "type", base64("filesystem"),
                        "path", "!!not base64!!",
                        "repo-password",
                            Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x41})))
                .build());

    assertThat(texts(problemsOf(LocationSecretParser.parse(data), data)))
        .containsExactlyInAnyOrder(
            "Secret kanister/loc, key 'path': data values must be base64; put plain text under"
                + " stringData instead",
            "Secret kanister/loc, key 'repo-password': is not UTF-8 text; store the value as UTF-8",
            "Secret kanister/loc, key 'path': is missing; add the absolute path of the repository"
                + " directory");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
