package io.kanister.kopia.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.secret.SecretValue;
import org.junit.jupiter.api.Test;

class S3LocationTest {

  private static ImmutableS3Location.Builder minimal() {
    return S3Location.builder()
        .bucket("b")
        .accessKeyId(SecretValue.of("AKIA-TEST"))
        .secretAccessKey(SecretValue.of("sekret"));
  }

  @Test
  void rendersMinimalArgs() {
    S3Location location = minimal().build();

    assertThat(location.providerArgs()).containsExactly("s3", "--bucket=b");
    assertThat(location.displayName()).isEqualTo("s3://b/");
    assertThat(location.storageType()).isEqualTo("s3");
  }

  @Test
  void httpEndpointDisablesTls() {
    S3Location location = minimal().prefix("p/").endpoint("http://minio.local:9000/").build();

    assertThat(location.providerArgs())
        .containsExactly(
            "s3", "--bucket=b", "--prefix=p/", "--endpoint=minio.local:9000", "--disable-tls");
    assertThat(location.tlsDisabled()).isTrue();
    assertThat(location.displayName()).isEqualTo("s3://b/p/");
  }

  @Test
  void httpsEndpointKeepsTls() {
    S3Location location = minimal().endpoint("HTTPS://s3.example.com").build();

    assertThat(location.providerArgs())
        .containsExactly("s3", "--bucket=b", "--endpoint=s3.example.com");
    assertThat(location.tlsDisabled()).isFalse();
  }

  @Test
  void bareEndpointWithExplicitOptions() {
    S3Location location =
        minimal()
            .endpoint("host:9000")
            .region("eu-west-1")
            .disableTls(true)
            .disableTlsVerification(true)
            .build();

    assertThat(location.providerArgs())
        .containsExactly(
            "s3",
            "--bucket=b",
            "--endpoint=host:9000",
            "--region=eu-west-1",
            "--disable-tls",
            "--disable-tls-verification");
  }

  @Test
  void rootCaIsPassedBase64Encoded() {
    S3Location location = minimal().rootCaPem("PEM").build();

    assertThat(location.providerArgs()).contains("--root-ca-pem-base64=UEVN");
  }

  @Test
  void credentialsGoToTheEnvironment() {
    S3Location location = minimal().sessionToken(SecretValue.of("tok")).build();

    assertThat(location.secretEnvironment())
        .containsExactly(
            java.util.Map.entry("AWS_ACCESS_KEY_ID", "AKIA-TEST"),
            java.util.Map.entry("AWS_SECRET_ACCESS_KEY", "sekret"),
            java.util.Map.entry("AWS_SESSION_TOKEN", "tok"));
  }

  @Test
  void rejectsBlankBucket() {
    assertThatThrownBy(() -> minimal().bucket(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s3 storage requires a non-blank bucket");
  }

  @Test
  void rejectsMissingBucket() {
    assertThatThrownBy(
            () ->
                S3Location.builder()
                    .accessKeyId(SecretValue.of("a"))
                    .secretAccessKey(SecretValue.of("s"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bucket");
  }

  @Test
  void rejectsBlankSecretKey() {
    assertThatThrownBy(() -> minimal().secretAccessKey(SecretValue.of("")).build())
        .hasMessage("s3 storage requires a non-blank secretAccessKey");
  }

  @Test
  void rejectsHttpsWithDisableTls() {
    assertThatThrownBy(() -> minimal().endpoint("https://h").disableTls(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://");
  }

  @Test
  void rejectsEndpointWithPathOrUserInfoWithoutEchoingIt() {
    assertThatThrownBy(() -> minimal().endpoint("http://h:9000/path").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without path");
    assertThatThrownBy(() -> minimal().endpoint("http://user:pa55@h:9000").build())
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("pa55");
  }

  @Test
  void rejectsUnknownScheme() {
    assertThatThrownBy(() -> minimal().endpoint("ftp://h").build())
        .hasMessage("s3 storage endpoint scheme must be http:// or https://");
  }
}
