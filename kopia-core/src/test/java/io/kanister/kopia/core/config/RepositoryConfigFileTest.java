package io.kanister.kopia.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.AzureLocation;
import io.kanister.kopia.core.storage.B2Location;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryConfigFileTest {
  private static final CertificateFingerprint FINGERPRINT =
      CertificateFingerprint.parse(
          "d4c2264d92ff6e54faa1c5d9fa07106dd13f629c89846b9b2a92058398dd24c4");

  static String resource(String name) throws IOException {
    try (InputStream in = RepositoryConfigFileTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static RepositoryConfig direct(StorageLocation location) {
    return RepositoryConfig.builder()
        .connection(new DirectConnection(location))
        .clientOptions(ClientOptions.of("h", "u"))
        .build();
  }

  /**
   * The fixture was written by this class and then used by kopia v0.23.1 ({@code repository
   * status}, {@code snapshot create}) against a live server as user bob@client1.
   */
  @Test
  void rendersApiServerConfigByteForByte() throws IOException {
    RepositoryConfig config =
        RepositoryConfig.builder()
            .connection(ApiServerConnection.of("https://127.0.0.1:50183/", FINGERPRINT))
            .clientOptions(ClientOptions.of("client1", "bob"))
            .caching(CachingOptions.kopiaDefaults("cache-api"))
            .build();

    assertThat(RepositoryConfigFile.render(config))
        .isEqualTo(resource("generated-api-server.config"));
  }

  /** Same bytes as kopia's own output, apart from the field kopia adds on connect. */
  @Test
  void formatsLikeKopia() throws IOException {
    String kopia = resource("kopia-written-api-server.config");
    RepositoryConfig parsed = RepositoryConfigFile.parse(kopia);

    assertThat(RepositoryConfigFile.render(parsed)).isEqualTo(kopia);
  }

  @Test
  void parsesKopiaWrittenApiServerConfig() throws IOException {
    RepositoryConfig config =
        RepositoryConfigFile.parse(resource("kopia-written-api-server.config"));

    assertThat(config.connection())
        .isEqualTo(
            new ApiServerConnection(
                "https://127.0.0.1:50183",
                Optional.of(FINGERPRINT),
                Optional.of("scrypt-65536-8-1")));
    assertThat(config.clientOptions().hostname()).isEqualTo("client1");
    assertThat(config.clientOptions().username()).isEqualTo("bob");
    assertThat(config.clientOptions().description())
        .contains("API Server: https://127.0.0.1:50183");
    assertThat(config.clientOptions().formatBlobCacheDuration()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.caching()).contains(CachingOptions.kopiaDefaults("cache"));
  }

  @Test
  void parsesKopiaWrittenFilesystemConfig() throws IOException {
    RepositoryConfig config =
        RepositoryConfigFile.parse(resource("kopia-written-filesystem.config"));

    assertThat(config.connection())
        .isEqualTo(
            new DirectConnection(
                FilesystemLocation.builder()
                    .path("/tmp/prim-exp/repo")
                    .fileMode(0600)
                    .dirMode(0700)
                    .build()));
    assertThat(config.clientOptions())
        .isEqualTo(
            ClientOptions.builder()
                .hostname("h1")
                .username("u1")
                .description("Repository in Filesystem: /tmp/prim-exp/repo")
                .build());
  }

  @Test
  void rendersFilesystemConfigLikeKopiaApartFromDirShards() throws IOException {
    String kopia = resource("kopia-written-filesystem.config");

    assertThat(RepositoryConfigFile.render(RepositoryConfigFile.parse(kopia)))
        .isEqualTo(kopia.replace(",\n      \"dirShards\": null", ""));
  }

  @Test
  void rendersS3ConfigWithKopiaFieldNames() {
    S3Location s3 =
        S3Location.builder()
            .bucket("b")
            .prefix("p/")
            .endpoint("http://minio:9000")
            .region("us-east-1")
            .disableTlsVerification(true)
            .accessKeyId(SecretValue.of("AK"))
            .secretAccessKey(SecretValue.of("SK"))
            .build();

    assertThat(RepositoryConfigFile.render(direct(s3)))
        .contains(
            "\"storage\": {\n"
                + "    \"type\": \"s3\",\n"
                + "    \"config\": {\n"
                + "      \"bucket\": \"b\",\n"
                + "      \"prefix\": \"p/\",\n"
                + "      \"endpoint\": \"minio:9000\",\n"
                + "      \"doNotUseTLS\": true,\n"
                + "      \"doNotVerifyTLS\": true,\n"
                + "      \"accessKeyID\": \"AK\",\n"
                + "      \"secretAccessKey\": \"SK\",\n"
                + "      \"sessionToken\": \"\",\n"
                + "      \"region\": \"us-east-1\"\n"
                + "    }\n"
                + "  },");
  }

  @Test
  void defaultS3EndpointIsWritten() {
    S3Location s3 =
        S3Location.builder()
            .bucket("b")
            .accessKeyId(SecretValue.of("AK"))
            .secretAccessKey(SecretValue.of("SK"))
            .build();

    assertThat(RepositoryConfigFile.render(direct(s3)))
        .contains("\"endpoint\": \"s3.amazonaws.com\"");
  }

  @Test
  void rendersAzureConfig() {
    AzureLocation azure =
        AzureLocation.builder()
            .container("c")
            .storageAccount("acct")
            .storageKey(SecretValue.of("KEY"))
            .build();

    assertThat(RepositoryConfigFile.render(direct(azure)))
        .contains(
            "\"type\": \"azureBlob\",\n"
                + "    \"config\": {\n"
                + "      \"container\": \"c\",\n"
                + "      \"storageAccount\": \"acct\",\n"
                + "      \"storageKey\": \"KEY\"\n"
                + "    }");
  }

  @Test
  void embedsGcsCredentialsAsRawJson() {
    GcsLocation gcs =
        GcsLocation.builder()
            .bucket("g")
            .credentialsFile("/creds.json")
            .credentialsJson(SecretValue.of("{\"type\":\"service_account\"}"))
            .build();

    assertThat(RepositoryConfigFile.render(direct(gcs)))
        .contains(
            "\"credentialsFile\": \"/creds.json\",\n"
                + "      \"credentials\": {\n"
                + "        \"type\": \"service_account\"\n"
                + "      }");
  }

  @Test
  void roundTripsEveryProvider() {
    StorageLocation[] locations = {
      FilesystemLocation.builder().path("/r").ownerUid(1).ownerGid(2).fileMode(0640).build(),
      S3Location.builder()
          .bucket("b")
          .prefix("p/")
          .endpoint("minio:9000")
          .disableTls(true)
          .disableTlsVerification(true)
          .region("r")
          .rootCaPem("-----BEGIN CERTIFICATE-----\n")
          .accessKeyId(SecretValue.of("AK"))
          .secretAccessKey(SecretValue.of("SK"))
          .sessionToken(SecretValue.of("ST"))
          .build(),
      GcsLocation.builder()
          .bucket("g")
          .prefix("x")
          .credentialsFile("/c.json")
          .credentialsJson(SecretValue.of("{\"a\":1}"))
          .readOnly(true)
          .build(),
      AzureLocation.builder()
          .container("c")
          .prefix("p")
          .storageAccount("a")
          .sasToken(SecretValue.of("sas"))
          .storageDomain("d")
          .build(),
      B2Location.builder()
          .bucket("b")
          .prefix("p")
          .keyId(SecretValue.of("i"))
          .key(SecretValue.of("k"))
          .build()
    };
    for (StorageLocation location : locations) {
      RepositoryConfig config =
          RepositoryConfig.builder()
              .connection(new DirectConnection(location))
              .clientOptions(
                  ClientOptions.builder()
                      .hostname("h")
                      .username("u")
                      .readonly(true)
                      .enableActions(true)
                      .description("d")
                      .formatBlobCacheDuration(ClientOptions.FORMAT_BLOB_CACHE_DISABLED)
                      .build())
              .caching(CachingOptions.builder().cacheDirectory("/c").build())
              .build();

      assertThat(RepositoryConfigFile.parse(RepositoryConfigFile.render(config)))
          .as(location.provider())
          .isEqualTo(config);
    }
  }

  @Test
  void writesAtomicallyWithPrivateModes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("nested/repo.config");
    RepositoryConfig config = direct(FilesystemLocation.of("/r"));

    RepositoryConfigFile.write(config, file);

    assertThat(RepositoryConfigFile.read(file)).isEqualTo(config);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void rejectsBadConfigs() {
    assertThatThrownBy(() -> RepositoryConfigFile.parse("{\"secretAccessKey\": \"SK"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("repo.config is not valid JSON");
    assertThatThrownBy(() -> RepositoryConfigFile.parse("{\"hostname\":\"h\"}"))
        .hasMessage("repo.config has neither 'storage' nor 'apiServer'");
    assertThatThrownBy(
            () ->
                RepositoryConfigFile.parse(
                    "{\"storage\":{\"type\":\"webdav\",\"config\":{}},\"hostname\":\"h\","
                        + "\"username\":\"u\"}"))
        .hasMessage("unsupported storage type in repo.config: 'webdav'");
    assertThatThrownBy(
            () -> new ApiServerConnection("http://h:1", Optional.empty(), Optional.empty()))
        .hasMessageContaining("must start with https://");
  }
}
