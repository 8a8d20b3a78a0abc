package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.operator.tokens.ServiceAccountTokens;
import io.kanister.kopia.operator.tokens.TokenSettings;
import io.kanister.kopia.operator.users.AccessUsers.UsersOutcome;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.workload.WorkloadSource.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DynamicUsersTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final TokenSettings SETTINGS =
      new TokenSettings("kopia-test", Duration.ofHours(1), 0.8);

  private final MutableClock clock = new MutableClock(START);
  private final NumberedTokenIssuer issuer = new NumberedTokenIssuer(clock);
  private final List<Workload> workloads = new ArrayList<>();
  private final DynamicUsers dynamic =
      new DynamicUsers(ns -> workloads, new ServiceAccountTokens(issuer, SETTINGS, clock));

  @Test
  void workloadUsersAreServiceAccountAtNamespaceDotWorkload() {
    var template = new PodTemplateSpecBuilder().withNewSpec().endSpec().build();
    var statefulSet =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("DB")
            .endMetadata()
            .build();
    Workload withDefault = Workload.of("StatefulSet", statefulSet, template);
    assertThat(withDefault.serviceAccount()).isEqualTo("default");
    assertThat(withDefault.kopiaUsername()).isEqualTo(KopiaUsername.of("default@monitoring.db"));

    template.getSpec().setServiceAccountName("backup-sa");
    assertThat(Workload.of("StatefulSet", statefulSet, template).kopiaUsername())
        .isEqualTo(KopiaUsername.of("backup-sa@monitoring.db"));
  }

  @Test
  void tokensAreThePasswordsAndSharedByWorkloadsOfOneServiceAccount() {
    workloads.add(new Workload("StatefulSet", "monitoring", "db", "backup"));
    workloads.add(new Workload("Deployment", "monitoring", "web", "backup"));
    DesiredUsers users = dynamic.compute("monitoring");

    assertThat(users.failures()).isEmpty();
    assertThat(users.users().keySet())
        .containsExactly(
            KopiaUsername.of("backup@monitoring.db"), KopiaUsername.of("backup@monitoring.web"));
    assertThat(users.users().values())
        .extracting(u -> u.password().reveal())
        .containsOnly("token-backup-1");
    assertThat(issuer.issuedFor).containsExactly("backup");
  }

  @Test
  void tokensRotateAtTheConfiguredFractionOfTheirLifetime() {
    workloads.add(new Workload("StatefulSet", "monitoring", "db", "backup"));
    dynamic.compute("monitoring");
    assertThat(dynamic.nextRotation()).contains(START.plus(Duration.ofMinutes(48)));

    clock.advance(Duration.ofMinutes(47));
    assertThat(password(dynamic.compute("monitoring"))).isEqualTo("token-backup-1");

    clock.advance(Duration.ofMinutes(1));
    assertThat(password(dynamic.compute("monitoring"))).isEqualTo("token-backup-2");
    assertThat(dynamic.nextRotation()).contains(START.plus(Duration.ofMinutes(96)));

    var outcome =
        new UsersOutcome(
            new ConvergenceResult(
                1, 1, 0, 0, 0, 1, 0, List.of(), 0, false, java.util.Optional.empty()),
            dynamic.nextRotation());
    assertThat(outcome.requeueAfter(clock.instant())).contains(Duration.ofMinutes(48));
    assertThat(outcome.requeueAfter(START.plus(Duration.ofHours(3)))).contains(Duration.ZERO);
  }

  @Test
  void aWorkloadWithoutTokenFailsAloneAndGoneWorkloadsReleaseTheirTokens() {
    workloads.add(new Workload("StatefulSet", "monitoring", "db", "backup"));
    workloads.add(new Workload("DaemonSet", "monitoring", "agent", "missing"));
    workloads.add(new Workload("Deployment", "monitoring", "web", "locked"));
    issuer.failing.put("missing", FailureReasons.SERVICE_ACCOUNT_NOT_FOUND);
    issuer.failing.put("locked", FailureReasons.TOKEN_REQUEST_FORBIDDEN);

    DesiredUsers users = dynamic.compute("monitoring");
    assertThat(users.users().keySet()).containsExactly(KopiaUsername.of("backup@monitoring.db"));
    assertThat(users.failures())
        .extracting(UserFailure::username, UserFailure::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "missing@monitoring.agent", FailureReasons.SERVICE_ACCOUNT_NOT_FOUND),
            org.assertj.core.groups.Tuple.tuple(
                "locked@monitoring.web", FailureReasons.TOKEN_REQUEST_FORBIDDEN));
    assertThat(users.holds())
        .containsExactly(
            ManagedUsers.workloadOrigin("DaemonSet", "agent"),
            ManagedUsers.workloadOrigin("Deployment", "web"));
    // A refused TokenRequest is asked for again in 30s: not at once, not only at the rotation.
    assertThat(dynamic.nextRotation())
        .contains(START.plus(ServiceAccountTokens.RETRY_AFTER_FAILURE));

    workloads.clear();
    assertThat(dynamic.compute("monitoring").users()).isEmpty();
    assertThat(dynamic.nextRotation()).isEmpty();
  }

  @Test
  void anyIssuerOrListingErrorHoldsInsteadOfFailingThePass() {
    DynamicUsers throwing =
        new DynamicUsers(
            ns -> List.of(new Workload("StatefulSet", ns, "db", "backup")),
            new ServiceAccountTokens(
                (namespace, account, audience, lifetime) -> {
                  throw new IllegalStateException("connection reset");
                },
                TokenSettings.defaults(),
                clock));
    DesiredUsers users = throwing.compute("monitoring");
    assertThat(users.users()).isEmpty();
    assertThat(users.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReasons.TOKEN_REQUEST_FAILED);
              assertThat(f.message()).contains("IllegalStateException", "keeps its last one");
            });
    assertThat(users.holds()).containsExactly(ManagedUsers.workloadOrigin("StatefulSet", "db"));

    DynamicUsers unlistable =
        new DynamicUsers(
            ns -> {
              throw new io.fabric8.kubernetes.client.KubernetesClientException(
                  "timeout", 504, null);
            },
            new ServiceAccountTokens(issuer, TokenSettings.defaults(), clock));
    DesiredUsers none = unlistable.compute("monitoring");
    assertThat(none.failures())
        .extracting(UserFailure::reason)
        .containsExactly(FailureReasons.WORKLOAD_LIST_FAILED);
    assertThat(none.holds()).containsExactly(ManagedUsers.ALL_WORKLOADS);
  }

  @Test
  void twoWorkloadsWithTheSameNameAndAccountKeepTheFirst() {
    workloads.add(new Workload("StatefulSet", "monitoring", "db", "backup"));
    workloads.add(new Workload("Deployment", "monitoring", "db", "backup"));
    DesiredUsers users = dynamic.compute("monitoring");
    assertThat(users.users()).hasSize(1);
    assertThat(users.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo(FailureReasons.DUPLICATE_USER));
  }

  @Test
  void predefinedUsersWinOverDynamicOnes() {
    workloads.add(new Workload("StatefulSet", "monitoring", "db", "app"));
    DesiredUsers predefined =
        PredefinedUsers.from(
            "monitoring",
            "kanister",
            List.of("access"),
            java.util.Map.of(
                "access",
                PredefinedUsersTest.secret(
                    "access", java.util.Map.of("db", "username: app\npassword: static-pw-1"))));
    DesiredUsers all = predefined.and(dynamic.compute("monitoring"));
    assertThat(password(all)).isEqualTo("static-pw-1");
    assertThat(all.failures())
        .extracting(UserFailure::reason)
        .containsExactly(FailureReasons.DUPLICATE_USER);
  }

  @Test
  void settingsAreChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new TokenSettings("a", Duration.ofMinutes(5), 0.8))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new TokenSettings("a", Duration.ofHours(1), 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String password(DesiredUsers users) {
    assertThat(users.users()).hasSize(1);
    return users.users().values().iterator().next().password().reveal();
  }
}
