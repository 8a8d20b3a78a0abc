package io.kanister.kopia.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves the real kopia binary and the in-JVM S3 server work together with the sandboxes. */
@RealKopia
@RealS3
class RealKopiaSmokeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void createsAFilesystemRepositoryAndReportsItsStatus(KopiaSandbox kopia) throws Exception {
    Map<String, String> env = Map.of("KOPIA_PASSWORD", "smoke-test-password");
    String repo = kopia.newDir("repo").toString();

    KopiaSandbox.Result create =
        kopia.exec(env, "repository", "create", "filesystem", "--path=" + repo);
    assertThat(create.exitCode()).as(create.stderr()).isZero();

    KopiaSandbox.Result status = kopia.exec(env, "repository", "status", "--json");
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    JsonNode json = JSON.readTree(status.stdout());
    assertThat(json.path("storage").path("type").asText()).isEqualTo("filesystem");
    assertThat(json.path("storage").path("config").path("path").asText()).isEqualTo(repo);
    assertThat(json.path("contentFormat").path("hash").asText()).isNotBlank();
    assertThat(kopia.version()).startsWith("0.23.1");
  }

  @Test
  void createsAnS3RepositoryOnTheInJvmServer(KopiaSandbox kopia, S3Bucket s3) throws Exception {
    Map<String, String> env =
        Map.of(
            "KOPIA_PASSWORD", "smoke-test-password",
            "AWS_ACCESS_KEY_ID", s3.accessKey(),
            "AWS_SECRET_ACCESS_KEY", s3.secretKey());

    KopiaSandbox.Result create =
        kopia.exec(
            env,
            "repository",
            "create",
            "s3",
            "--bucket=" + s3.bucket(),
            "--endpoint=" + s3.hostPort(),
            "--disable-tls",
            "--region=" + s3.region(),
            "--prefix=smoke/");
    assertThat(create.exitCode()).as(create.stderr()).isZero();

    KopiaSandbox.Result status = kopia.exec(env, "repository", "status", "--json");
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    JsonNode storage = JSON.readTree(status.stdout()).path("storage");
    assertThat(storage.path("type").asText()).isEqualTo("s3");
    assertThat(storage.path("config").path("bucket").asText()).isEqualTo(s3.bucket());
  }
}
