package io.kanister.kopia.operator.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating admission webhook's HTTPS endpoint: {@value #PATH} answers AdmissionReviews for
 * Repositories. The API server is the only client; it checks the serving certificate against the
 * {@code caBundle} of the ValidatingWebhookConfiguration.
 */
public final class AdmissionWebhookServer implements AutoCloseable {
  public static final String PATH = "/validate-repository";

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionWebhookServer.class);
  private static final int THREADS = 2;

  private final HttpsServer server;
  private final ExecutorService executor;

  private AdmissionWebhookServer(HttpsServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and starts serving.
   *
   * @throws IOException when the address cannot be bound
   */
  public static AdmissionWebhookServer start(
      InetSocketAddress address, ReloadingKeyManager keys, RepositoryAdmission admission)
      throws IOException {
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {keys}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(PATH, new AdmissionReviewHandler(admission));
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread thread = new Thread(task, "admission-webhook-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
    LOG.info(
        "admission webhook serving https://{}:{}{}",
        server.getAddress().getHostString(),
        server.getAddress().getPort(),
        PATH);
    return new AdmissionWebhookServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting at once; requests in flight get up to a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
