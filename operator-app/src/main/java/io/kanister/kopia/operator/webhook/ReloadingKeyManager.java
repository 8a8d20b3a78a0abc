package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.core.digest.Sha256;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the certificate from the mounted Secret and picks up a renewed one without a restart:
 * before a handshake, at most once per {@code checkInterval}, it re-reads the files and swaps in
 * the new pair when their content changed. A half-written or broken pair is logged and the previous
 * one kept, so a rotation in progress never takes the webhook down.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

  private final Path certificateFile;
  private final Path keyFile;
  private final Duration checkInterval;
  private final Clock clock;
  private volatile Loaded current;
  private volatile Loaded previous;
  private volatile Instant nextCheck;

  private record Loaded(String alias, byte[] digest, ServingCertificate certificate) {}

  /**
   * Reads the pair once, so a missing or broken Secret fails the start instead of every handshake.
   */
  public ReloadingKeyManager(Path certificateFile, Path keyFile, Duration checkInterval)
      throws IOException {
    this(certificateFile, keyFile, checkInterval, Clock.systemUTC());
  }

  ReloadingKeyManager(Path certificateFile, Path keyFile, Duration checkInterval, Clock clock)
      throws IOException {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.checkInterval = checkInterval;
    this.clock = clock;
    byte[] digest = digest();
    this.current =
        new Loaded("serving-1", digest, ServingCertificate.read(certificateFile, keyFile));
    this.previous = current;
    this.nextCheck = clock.instant().plus(checkInterval);
  }

  /** The certificate served now. */
  public X509Certificate certificate() {
    return current.certificate().chain()[0];
  }

  /** Re-reads the files if they changed; called before handshakes, public for tests and probes. */
  public synchronized void reloadIfChanged() {
    nextCheck = clock.instant().plus(checkInterval);
    try {
      byte[] digest = digest();
      if (Arrays.equals(digest, current.digest())) {
        return;
      }
      ServingCertificate certificate = ServingCertificate.read(certificateFile, keyFile);
      int generation = Integer.parseInt(current.alias().substring("serving-".length())) + 1;
      previous = current;
      current = new Loaded("serving-" + generation, digest, certificate);
      LOG.info(
          "webhook serving certificate reloaded from {} (subject {}, valid until {})",
          certificateFile,
          certificate.chain()[0].getSubjectX500Principal().getName(),
          certificate.chain()[0].getNotAfter().toInstant());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "webhook serving certificate in {} and {} could not be reloaded, still serving the"
              + " previous one: {}",
          certificateFile,
          keyFile,
          e.getMessage());
    }
  }

  private byte[] digest() throws IOException {
    return Sha256.of(Files.readAllBytes(certificateFile), Files.readAllBytes(keyFile));
  }

  private String chooseAlias(String keyType) {
    if (!clock.instant().isBefore(nextCheck)) {
      reloadIfChanged();
    }
    Loaded loaded = current;
    return loaded.certificate().key().getAlgorithm().equals(keyType) ? loaded.alias() : null;
  }

  // The alias names a generation, so a reload between choosing and fetching never mixes pairs.
  private ServingCertificate byAlias(String alias) {
    Loaded now = current;
    if (now.alias().equals(alias)) {
      return now.certificate();
    }
    Loaded before = previous;
    return before.alias().equals(alias) ? before.certificate() : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return chooseAlias(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return chooseAlias(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = chooseAlias(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    ServingCertificate certificate = byAlias(alias);
    return certificate == null ? null : certificate.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    ServingCertificate certificate = byAlias(alias);
    return certificate == null ? null : certificate.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
