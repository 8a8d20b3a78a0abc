package io.kanister.kopia.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.operator.global.GlobalRepositoryBootstrap;
import io.kanister.kopia.operator.scope.DeploymentScopeAnnotation;
import io.kanister.kopia.operator.scope.ScopeGuardrail;
import io.kanister.kopia.operator.scope.ScopeMismatchException;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.webhook.AdmissionWebhookServer;
import io.kanister.kopia.operator.webhook.KubernetesSecretLookup;
import io.kanister.kopia.operator.webhook.ReloadingKeyManager;
import io.kanister.kopia.operator.webhook.RepositoryAdmission;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up sequence, in the order it must happen: refuse a mode switch, annotate our own
 * Deployment with the mode, serve the webhook (on every replica, since the Service may route to
 * any), make sure global mode's singleton exists, then start the controllers.
 */
public final class OperatorStartup {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorStartup.class);

  /** A start-up failure the user must fix; its message is the one line printed. */
  public static final class StartupException extends Exception {
    public StartupException(String message) {
      super(message, null, false, false);
    }
  }

  /** What is running after a successful start; closing it twice is harmless. */
  public static final class Running implements AutoCloseable {
    private final KopiaOperator operator;
    private final Optional<AdmissionWebhookServer> webhook;
    private final java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();

    Running(KopiaOperator operator, Optional<AdmissionWebhookServer> webhook) {
      this.operator = operator;
      this.webhook = webhook;
    }

    public KopiaOperator operator() {
      return operator;
    }

    public Optional<AdmissionWebhookServer> webhook() {
      return webhook;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        operator.close();
        webhook.ifPresent(AdmissionWebhookServer::close);
      }
    }
  }

  private OperatorStartup() {}

  public static Running start(
      KubernetesClient client,
      OperatorOptions options,
      KopiaRunner kopia,
      ServerEndpointResolver endpoints,
      String identity,
      Optional<String> ownDeployment,
      boolean serveHealth)
      throws StartupException {
    try {
      new ScopeGuardrail(client, options.operatorNamespace(), identity)
          .check(options.repositoryScope());
    } catch (ScopeMismatchException | IllegalStateException e) {
      throw new StartupException(e.getMessage());
    }
    new DeploymentScopeAnnotation(client, options.operatorNamespace())
        .annotate(ownDeployment, options.repositoryScope());
    Optional<AdmissionWebhookServer> webhook = startWebhook(client, options);
    if (options.repositoryScope() == RepositoryScope.GLOBAL) {
      var global = options.globalRepository();
      var outcome =
          GlobalRepositoryBootstrap.ensure(
              client,
              options.operatorNamespace(),
              global.locationSecret(),
              global.adminSecret(),
              global.tlsSecret(),
              global.accessSecrets());
      LOG.info(
          "global mode: repository-global {}",
          outcome == GlobalRepositoryBootstrap.Outcome.CREATED ? "created" : "adopted");
    }
    KopiaOperator operator =
        KopiaOperator.start(
            new KopiaOperator.Wiring(client, options, kopia, endpoints, identity, serveHealth));
    return new Running(operator, webhook);
  }

  private static Optional<AdmissionWebhookServer> startWebhook(
      KubernetesClient client, OperatorOptions options) throws StartupException {
    OperatorOptions.Webhook config = options.webhook();
    if (!config.enabled()) {
      return Optional.empty();
    }
    try {
      ReloadingKeyManager keys =
          new ReloadingKeyManager(
              config.certificateDirectory().resolve("tls.crt"),
              config.certificateDirectory().resolve("tls.key"),
              Duration.ofSeconds(10));
      RepositoryAdmission admission =
          new RepositoryAdmission(
              options.repositoryScope(),
              options.operatorNamespace(),
              new KubernetesSecretLookup(client),
              options.filesystemRoots(),
              namespace ->
                  client
                      .resources(io.kanister.kopia.model.repository.Repository.class)
                      .inNamespace(namespace)
                      .list()
                      .getItems());
      return Optional.of(
          AdmissionWebhookServer.start(
              new InetSocketAddress(config.bindAddress(), config.port()), keys, admission));
    } catch (IOException | RuntimeException e) {
      throw new StartupException(
          "cannot serve the admission webhook from "
              + config.certificateDirectory()
              + " on port "
              + config.port()
              + " ("
              + e.getMessage()
              + "); mount the webhook TLS Secret there, or pass --webhook=false");
    }
  }
}
