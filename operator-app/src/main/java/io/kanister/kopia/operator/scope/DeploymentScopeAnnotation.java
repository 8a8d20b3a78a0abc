package io.kanister.kopia.operator.scope;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.RepositoryScope;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows the mode on the operator's own Deployment ({@value RepositoryLabels#REPO_SCOPE}), so {@code
 * kubectl describe deployment} tells which mode runs. Informational only: the guardrail relies on
 * {@link ScopeConfigMap}, so a missing Deployment or permission only skips the annotation.
 */
public final class DeploymentScopeAnnotation {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentScopeAnnotation.class);

  /** What {@link #annotate} did. */
  public enum Outcome {
    ANNOTATED,
    /** No Deployment name was given: the operator runs outside a cluster (local run, tests). */
    SKIPPED_NO_DEPLOYMENT,
    SKIPPED_NOT_FOUND,
    SKIPPED_FORBIDDEN
  }

  private final KubernetesClient client;
  private final String namespace;

  public DeploymentScopeAnnotation(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Merge-patches the annotation onto the Deployment's metadata; the pod template is untouched, so
   * this never rolls the pods.
   *
   * @param deploymentName empty when not running as a Deployment
   */
  public Outcome annotate(Optional<String> deploymentName, RepositoryScope scope) {
    if (deploymentName.isEmpty() || deploymentName.get().isBlank()) {
      LOG.info("no operator Deployment name given; not annotating {}", RepositoryLabels.REPO_SCOPE);
      return Outcome.SKIPPED_NO_DEPLOYMENT;
    }
    String name = deploymentName.get();
    String patch =
        client
            .getKubernetesSerialization()
            .asJson(
                Map.of(
                    "metadata",
                    Map.of("annotations", Map.of(RepositoryLabels.REPO_SCOPE, scope.value()))));
    try {
      client
          .apps()
          .deployments()
          .inNamespace(namespace)
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return Outcome.ANNOTATED;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        LOG.warn("operator Deployment {}/{} not found; not annotating its mode", namespace, name);
        return Outcome.SKIPPED_NOT_FOUND;
      }
      if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
        LOG.warn(
            "not allowed to patch Deployment {}/{}; grant 'patch' on it to show the mode there",
            namespace,
            name);
        return Outcome.SKIPPED_FORBIDDEN;
      }
      throw e;
    }
  }
}
