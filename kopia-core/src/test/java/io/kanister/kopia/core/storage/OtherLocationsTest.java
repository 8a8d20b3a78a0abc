package io.kanister.kopia.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.secret.SecretValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtherLocationsTest {

  @Test
  void filesystem() {
    FilesystemLocation location =
        FilesystemLocation.builder()
            .path("/data/repo")
            .ownerUid(1000)
            .ownerGid(2000)
            .fileMode(0640)
            .dirMode(0750)
            .build();

    assertThat(location.providerArgs())
        .containsExactly(
            "filesystem",
            "--path=/data/repo",
            "--owner-uid=1000",
            "--owner-gid=2000",
            "--file-mode=0640",
            "--dir-mode=0750");
    assertThat(location.secretEnvironment()).isEmpty();
    assertThat(location.displayName()).isEqualTo("filesystem:/data/repo");
    assertThat(FilesystemLocation.of("/r").providerArgs())
        .containsExactly("filesystem", "--path=/r");
  }

  @Test
  void filesystemPathMustBeAbsolute() {
    assertThatThrownBy(() -> FilesystemLocation.of("repo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be absolute");
    assertThatThrownBy(() -> FilesystemLocation.of(""))
        .hasMessage("filesystem storage requires a non-blank path");
  }

  @Test
  void gcs() {
    GcsLocation location =
        GcsLocation.builder()
            .bucket("g")
            .prefix("team/")
            .credentialsFile("/run/creds.json")
            .credentialsJson(SecretValue.of("{\"type\":\"service_account\"}"))
            .readOnly(true)
            .build();

    assertThat(location.providerArgs())
        .containsExactly(
            "gcs",
            "--bucket=g",
            "--prefix=team/",
            "--credentials-file=/run/creds.json",
            "--read-only");
    assertThat(location.secretEnvironment()).isEmpty();
    assertThat(location.displayName()).isEqualTo("gs://g/team/");
  }

  @Test
  void gcsCredentialsNeedAFile() {
    assertThatThrownBy(
            () -> GcsLocation.builder().bucket("g").credentialsJson(SecretValue.of("{}")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a credentialsFile");
  }

  @Test
  void azureWithKey() {
    AzureLocation location =
        AzureLocation.builder()
            .container("c")
            .prefix("p/")
            .storageAccount("acct")
            .storageKey(SecretValue.of("azkey"))
            .storageDomain("blob.core.chinacloudapi.cn")
            .build();

    assertThat(location.providerArgs())
        .containsExactly(
            "azure", "--container=c", "--prefix=p/", "--storage-domain=blob.core.chinacloudapi.cn");
    assertThat(location.secretEnvironment())
        .containsExactly(Map.entry("AZURE_STORAGE_KEY", "azkey"));
    assertThat(location.environment()).containsExactly(Map.entry("AZURE_STORAGE_ACCOUNT", "acct"));
    assertThat(location.storageType()).isEqualTo("azureBlob");
    assertThat(location.displayName()).isEqualTo("azure://acct/c/p/");
  }

  @Test
  void azureWithSasToken() {
    AzureLocation location =
        AzureLocation.builder()
            .container("c")
            .storageAccount("acct")
            .sasToken(SecretValue.of("sv=1"))
            .build();

    assertThat(location.secretEnvironment())
        .containsEntry("AZURE_STORAGE_SAS_TOKEN", "sv=1")
        .doesNotContainKey("AZURE_STORAGE_KEY");
  }

  @Test
  void azureNeedsExactlyOneCredential() {
    assertThatThrownBy(() -> AzureLocation.builder().container("c").storageAccount("a").build())
        .hasMessage("azure storage requires exactly one of storageKey or sasToken");
    assertThatThrownBy(
            () ->
                AzureLocation.builder()
                    .container(" ")
                    .storageAccount("a")
                    .storageKey(SecretValue.of("k"))
                    .build())
        .hasMessage("azure storage requires a non-blank container");
  }

  @Test
  void b2() {
    B2Location location =
        B2Location.builder()
            .bucket("bb")
            .keyId(SecretValue.of("kid"))
            .key(SecretValue.of("k"))
            .build();

    assertThat(location.providerArgs()).containsExactly("b2", "--bucket=bb");
    assertThat(location.secretEnvironment())
        .containsExactly(Map.entry("B2_KEY_ID", "kid"), Map.entry("B2_KEY", "k"));
    assertThat(location.displayName()).isEqualTo("b2://bb/");
  }
}
