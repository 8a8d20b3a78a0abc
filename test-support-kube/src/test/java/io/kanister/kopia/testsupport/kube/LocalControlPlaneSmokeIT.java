package io.kanister.kopia.testsupport.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves the local control plane is a real one: CRDs, watches, TokenRequest and RBAC. */
@RealKubernetes
class LocalControlPlaneSmokeIT {
  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("smoke.kko.test")
          .withVersion("v1")
          .withKind("Widget")
          .withPlural("widgets")
          .withNamespaced(true)
          .build();

  @Test
  void servesACustomResourceAndWatchesIt(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("widgets.smoke.kko.test")
            .endMetadata()
            .withNewSpec()
            .withGroup("smoke.kko.test")
            .withScope("Namespaced")
            .withNewNames()
            .withKind("Widget")
            .withPlural("widgets")
            .withSingular("widget")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    CustomResourceDefinitions.install(client, crd);

    CompletableFuture<String> added = new CompletableFuture<>();
    try (Watch ignored =
        client
            .genericKubernetesResources(WIDGETS)
            .inNamespace(ns.name())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource resource) {
                    if (action == Action.ADDED) {
                      added.complete(resource.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client
          .genericKubernetesResources(WIDGETS)
          .inNamespace(ns.name())
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("smoke.kko.test/v1")
                  .withKind("Widget")
                  .withNewMetadata()
                  .withName("first")
                  .endMetadata()
                  .withAdditionalProperties(Map.of("spec", Map.of("size", 3)))
                  .build())
          .create();
      assertThat(added.get(30, TimeUnit.SECONDS)).isEqualTo("first");
    }
    assertThat(ns.cluster().version()).startsWith("v1.34");
  }

  @Test
  void issuesServiceAccountTokensAndEnforcesRbac(TestNamespace ns) {
    KubernetesClient admin = ns.client();
    admin
        .serviceAccounts()
        .inNamespace(ns.name())
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("mover").endMetadata().build())
        .create();
    TokenRequest request =
        admin
            .serviceAccounts()
            .inNamespace(ns.name())
            .withName("mover")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withAudiences(LocalControlPlane.SERVICE_ACCOUNT_ISSUER)
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build());
    String token = request.getStatus().getToken();
    assertThat(token).isNotBlank();
    assertThat(request.getStatus().getExpirationTimestamp()).isNotBlank();

    try (KubernetesClient mover = ns.cluster().clientWithToken(token)) {
      assertThatThrownBy(() -> mover.configMaps().inNamespace(ns.name()).list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
          .hasMessageContaining("system:serviceaccount:" + ns.name() + ":mover");

      admin
          .rbac()
          .roles()
          .inNamespace(ns.name())
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("read-configmaps")
                  .endMetadata()
                  .addNewRule()
                  .withApiGroups("")
                  .withResources("configmaps")
                  .withVerbs("list")
                  .endRule()
                  .build())
          .create();
      admin
          .rbac()
          .roleBindings()
          .inNamespace(ns.name())
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("mover-reads-configmaps")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", "read-configmaps")
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName("mover")
                  .withNamespace(ns.name())
                  .endSubject()
                  .build())
          .create();
      // RBAC caches are updated from watches, so the grant takes effect within moments.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (true) {
        try {
          assertThat(mover.configMaps().inNamespace(ns.name()).list().getItems()).isEmpty();
          break;
        } catch (KubernetesClientException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
    }
  }
}
