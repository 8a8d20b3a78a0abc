package io.kanister.kopia.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificateTest {
  private static final TestPki PKI = TestPki.newCa("webhook-test-ca");
  private static final TestPki.Issued ISSUED = ServingFiles.forLoopback(PKI);

  @TempDir Path dir;

  @Test
  void readsAnRsaKeyInPkcs1Form() throws Exception {
    assertThat(ISSUED.keyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    ServingFiles.write(dir, ISSUED);

    ServingCertificate read = read();

    assertThat(read.chain()).containsExactly(ISSUED.certificate());
    assertThat(read.key().getEncoded()).isEqualTo(ISSUED.key().getPrivate().getEncoded());
  }

  @Test
  void readsAKeyInPkcs8Form() throws Exception {
    ServingFiles.write(dir, ISSUED);
    Files.writeString(
        dir.resolve("tls.key"),
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(ISSUED.key().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");

    assertThat(read().key().getEncoded()).isEqualTo(ISSUED.key().getPrivate().getEncoded());
  }

  @Test
  void readsTheWholeChain() throws Exception {
    ServingFiles.write(dir, ISSUED);
    Files.writeString(dir.resolve("tls.crt"), ISSUED.certPem() + PKI.caPem());

    assertThat(read().chain()).hasSize(2);
  }

  @Test
  void namesTheFileButNeverShowsItsContent() throws Exception {
    ServingFiles.write(dir, ISSUED);
    Files.writeString(
        dir.resolve("tls.key"),
        "-----BEGIN EC PRIVATE KEY-----\nc2VjcmV0\n-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(this::read)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.resolve("tls.key").toString())
        .hasMessageContaining("'EC PRIVATE KEY'")
        .hasMessageContaining("privateKey.encoding: PKCS8")
        .hasMessageNotContaining("c2VjcmV0");
  }

  @Test
  void refusesAFileWithoutKey() throws Exception {
    ServingFiles.write(dir, ISSUED);
    Files.writeString(dir.resolve("tls.key"), ISSUED.certPem());

    assertThatThrownBy(this::read).hasMessageContaining("holds no PEM private key");
  }

  @Test
  void refusesAFileWithoutCertificate() throws Exception {
    ServingFiles.write(dir, ISSUED);
    Files.writeString(dir.resolve("tls.crt"), "");

    assertThatThrownBy(this::read).hasMessageContaining("tls.crt");
  }

  private ServingCertificate read() throws Exception {
    return ServingCertificate.read(dir.resolve("tls.crt"), dir.resolve("tls.key"));
  }
}
