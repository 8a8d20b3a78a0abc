package io.kanister.kopia.operator.server;

import io.kanister.kopia.core.output.ServerControlStatus;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Asks a repository server whether it serves its repository: {@code GET /api/v1/control/status} as
 * the control user, trusting only the certificate with the pinned fingerprint (as kopia clients
 * do). Pinning replaces host name checks, so the operator may dial an overridden address.
 */
public final class ServerControlProbe {
  private static final int TIMEOUT_MILLIS = 5_000;
  private static final int MAX_FACTORIES = 4096;

  private final ServerEndpointResolver resolver;

  // One socket factory per pinned certificate: the JDK keeps a probed server's connection alive
  // for the next probe only when the factory is the same, so a resync costs no TLS handshake.
  // Bounded: a certificate renewal adds one, and the map starts over past a few hundred.
  private final Map<CertificateFingerprint, SSLSocketFactory> factories = new ConcurrentHashMap<>();

  public ServerControlProbe(ServerEndpointResolver resolver) {
    this.resolver = resolver;
  }

  private static SSLSocketFactory factory(CertificateFingerprint fingerprint) {
    return pinned(fingerprint).getSocketFactory();
  }

  /** The outcome of one probe; {@code detail} is safe to show (no credentials). */
  public record Outcome(boolean serving, String detail) {}

  public Outcome probe(
      String serviceHost,
      int port,
      CertificateFingerprint fingerprint,
      String controlUser,
      SecretValue controlPassword) {
    String address = resolver.resolve(serviceHost, port);
    if (factories.size() > MAX_FACTORIES) {
      factories.clear();
    }
    try {
      HttpsURLConnection connection =
          (HttpsURLConnection)
              URI.create("https://" + address + "/api/v1/control/status").toURL().openConnection();
      connection.setSSLSocketFactory(
          factories.computeIfAbsent(fingerprint, ServerControlProbe::factory));
      connection.setHostnameVerifier((host, session) -> true);
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      String basic = controlUser + ":" + controlPassword.reveal();
      connection.setRequestProperty(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
      int code = connection.getResponseCode();
      if (code != HttpURLConnection.HTTP_OK) {
        return new Outcome(
            false,
            code == 401 || code == 403
                ? "the server refused the control user (HTTP " + code + ")"
                : "the server answered HTTP " + code);
      }
      String body;
      try (InputStream in = connection.getInputStream()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      ServerControlStatus status = ServerControlStatus.parse(body);
      return status.connected()
          ? new Outcome(true, "serving at " + serviceHost + ":" + port)
          : new Outcome(false, "the server is up but not connected to its repository");
    } catch (IOException | RuntimeException e) {
      return new Outcome(false, "cannot reach the server at " + address + ": " + describe(e));
    }
  }

  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root instanceof CertificateException
        ? root.getMessage()
        : root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  private static SSLContext pinned(CertificateFingerprint fingerprint) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new PinnedTrustManager(fingerprint)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trusts a chain only if one of its certificates has the pinned SHA-256 fingerprint. */
  private record PinnedTrustManager(CertificateFingerprint fingerprint)
      implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      for (X509Certificate certificate : chain) {
        if (fingerprint.equals(CertificateFingerprint.ofDer(certificate.getEncoded()))) {
          return;
        }
      }
      throw new CertificateException(
          "the server's certificate does not match fingerprint " + fingerprint.hex());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server trust manager for clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
