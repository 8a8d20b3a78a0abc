package io.kanister.kopia.e2e;

import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.webhook.AdmissionWebhookServer;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.WebhookRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The admission webhook of an operator running in the test JVM: served on loopback with a
 * certificate from the cluster's test CA, and registered with the real API server for one
 * namespace.
 */
final class LocalWebhook {
  private LocalWebhook() {}

  /** The same options with the webhook enabled on a free loopback port. */
  static OperatorOptions enable(OperatorOptions options, TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    TestPki.Issued serving =
        ns.cluster()
            .pki()
            .issueServer("kopia-operator-webhook", List.of("localhost"), List.of("127.0.0.1"));
    Path dir = sandbox.newDir("webhook-tls");
    Files.writeString(dir.resolve("tls.crt"), serving.certPem());
    Files.writeString(dir.resolve("tls.key"), serving.keyPem());
    return new OperatorOptions(
        options.operatorNamespace(),
        options.repositoryScope(),
        options.kopiaBinary(),
        options.kopiaImage(),
        options.serverPort(),
        options.leaderElection(),
        options.leaseName(),
        options.healthBindAddress(),
        options.healthPort(),
        options.workers(),
        options.workDirectory(),
        options.resyncPeriod(),
        options.serverAddressOverrides(),
        new OperatorOptions.Webhook(true, "127.0.0.1", BackgroundProcess.freePort(), dir),
        options.globalRepository(),
        options.serviceAccount(),
        options.serverResources(),
        options.filesystemRoots(),
        options.maintenance(),
        options.reliability());
  }

  /** A ValidatingWebhookConfiguration that sends this namespace's Repositories to the webhook. */
  static WebhookRegistration register(TestNamespace ns, OperatorOptions options, String name) {
    return WebhookRegistration.register(
        ns.client(),
        name + "-" + ns.name(),
        new WebhookRegistration.Target(
            "repositories.cr.kanister.io", Repository.GROUP, Repository.VERSION, Repository.PLURAL),
        "https://127.0.0.1:" + options.webhook().port() + AdmissionWebhookServer.PATH,
        ns.cluster().caPem(),
        List.of(ns.name()));
  }
}
