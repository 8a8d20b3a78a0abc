package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.testsupport.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Serving certificate files as a mounted TLS Secret has them, and a client trusting their CA. */
final class ServingFiles {
  private ServingFiles() {}

  static TestPki.Issued forLoopback(TestPki pki) {
    return pki.issueServer("kopia-operator-webhook", List.of("localhost"), List.of("127.0.0.1"));
  }

  static void write(Path dir, TestPki.Issued issued) throws IOException {
    Files.writeString(dir.resolve("tls.crt"), issued.certPem());
    Files.writeString(dir.resolve("tls.key"), issued.keyPem());
  }

  static SSLContext trusting(String caPem) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
