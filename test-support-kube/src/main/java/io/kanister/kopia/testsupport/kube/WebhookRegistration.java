package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A ValidatingWebhookConfiguration pointing the real API server at a webhook on loopback. It is
 * cluster-scoped and the control plane is shared by the test JVM, so each one has its own name and
 * only sees the namespaces it is given. Closing it deletes it.
 */
public record WebhookRegistration(KubernetesClient client, String name) implements AutoCloseable {

  /** The resource a webhook validates on CREATE and UPDATE. */
  public record Target(String webhookName, String group, String version, String plural) {}

  public static WebhookRegistration register(
      KubernetesClient client,
      String name,
      Target target,
      String url,
      String caPem,
      List<String> namespaces) {
    ValidatingWebhookConfiguration configuration =
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .addNewWebhook()
            .withName(target.webhookName())
            .withNewClientConfig()
            .withUrl(url)
            .withCaBundle(
                Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
            .endClientConfig()
            .addNewRule()
            .withApiGroups(target.group())
            .withApiVersions(target.version())
            .withResources(target.plural())
            .withOperations("CREATE", "UPDATE")
            .withScope("Namespaced")
            .endRule()
            .withNewNamespaceSelector()
            .withMatchExpressions(
                new LabelSelectorRequirementBuilder()
                    .withKey("kubernetes.io/metadata.name")
                    .withOperator("In")
                    .withValues(namespaces)
                    .build())
            .endNamespaceSelector()
            .withFailurePolicy("Fail")
            .withSideEffects("None")
            .withAdmissionReviewVersions("v1")
            .withTimeoutSeconds(5)
            .endWebhook()
            .build();
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(configuration)
        .create();
    return new WebhookRegistration(client, name);
  }

  @Override
  public void close() {
    client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name).delete();
  }
}
