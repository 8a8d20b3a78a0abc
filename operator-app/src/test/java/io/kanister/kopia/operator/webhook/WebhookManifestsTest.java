package io.kanister.kopia.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kanister.kopia.model.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/webhook stays in step with the server and with itself. */
class WebhookManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "webhook").toAbsolutePath().normalize();
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void webhookJudgesRepositoryWritesAndFailsClosed() throws Exception {
    ValidatingWebhookConfiguration configuration =
        YAML.unmarshal(
            Files.readString(DIR.resolve("validating-webhook.yaml")),
            ValidatingWebhookConfiguration.class);

    ValidatingWebhook webhook = configuration.getWebhooks().get(0);
    assertThat(configuration.getWebhooks()).hasSize(1);
    assertThat(webhook.getName()).isEqualTo("repositories.cr.kanister.io");
    assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getTimeoutSeconds()).isBetween(1, 30);
    assertThat(webhook.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly(Repository.GROUP);
              assertThat(rule.getApiVersions()).containsExactly(Repository.VERSION);
              assertThat(rule.getResources()).containsExactly(Repository.PLURAL);
              assertThat(rule.getOperations()).containsExactly("CREATE", "UPDATE");
            });
    assertThat(webhook.getClientConfig().getService().getNamespace()).isEqualTo("kanister");
    assertThat(webhook.getClientConfig().getService().getPath())
        .isEqualTo(AdmissionWebhookServer.PATH);
  }

  @Test
  void serviceAndCertificateMatchTheConfiguration() throws Exception {
    ValidatingWebhookConfiguration configuration =
        YAML.unmarshal(
            Files.readString(DIR.resolve("validating-webhook.yaml")),
            ValidatingWebhookConfiguration.class);
    Service service = YAML.unmarshal(Files.readString(DIR.resolve("service.yaml")), Service.class);
    // The Issuer and the Certificate, in the order Helm renders them.
    GenericKubernetesResource certificate =
        java.util.Arrays.stream(Files.readString(DIR.resolve("certificate.yaml")).split("\n---\n"))
            .map(document -> YAML.unmarshal(document, GenericKubernetesResource.class))
            .filter(resource -> "Certificate".equals(resource.getKind()))
            .findFirst()
            .orElseThrow();

    var reference = configuration.getWebhooks().get(0).getClientConfig().getService();
    assertThat(service.getMetadata().getName()).isEqualTo(reference.getName());
    assertThat(service.getMetadata().getNamespace()).isEqualTo(reference.getNamespace());
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(reference.getPort());
    assertThat(certificate.getKind()).isEqualTo("Certificate");
    assertThat(configuration.getMetadata().getAnnotations())
        .containsEntry(
            "cert-manager.io/inject-ca-from",
            certificate.getMetadata().getNamespace() + "/" + certificate.getMetadata().getName());
    assertThat(certificate.<List<String>>get("spec", "dnsNames"))
        .contains(reference.getName() + "." + reference.getNamespace() + ".svc");
  }
}
