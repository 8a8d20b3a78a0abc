package io.kanister.kopia.operator.scope;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start the operator in a mode other than the one its Repositories were made in. There
 * is no migration between modes (see docs/modes.md): the check keeps an operator restarted with the
 * other flag from serving or deleting the existing Repositories under rules they were not made for.
 */
public final class ScopeGuardrail {
  private static final Logger LOG = LoggerFactory.getLogger(ScopeGuardrail.class);
  private static final int ATTEMPTS = 3;
  private static final int NAMES_SHOWN = 3;

  private final KubernetesClient client;
  private final String operatorNamespace;
  private final ScopeConfigMap store;
  private final String recordedBy;
  private final Clock clock;

  /**
   * @param recordedBy who records the mode, e.g. the pod name and operator version; never a secret
   */
  public ScopeGuardrail(KubernetesClient client, String operatorNamespace, String recordedBy) {
    this(client, operatorNamespace, recordedBy, Clock.systemUTC());
  }

  ScopeGuardrail(
      KubernetesClient client, String operatorNamespace, String recordedBy, Clock clock) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
    this.store = new ScopeConfigMap(client, operatorNamespace);
    this.recordedBy = recordedBy;
    this.clock = clock;
  }

  /**
   * Compares {@code flag} with the recorded mode and records it when allowed.
   *
   * @throws ScopeMismatchException when another mode is recorded and Repositories exist
   * @throws IllegalStateException when the record is unreadable
   */
  public ScopeCheck check(RepositoryScope flag) {
    for (int attempt = 1; ; attempt++) {
      try {
        return checkOnce(flag);
      } catch (KubernetesClientException e) {
        // Another replica recorded at the same moment: judge again against what it wrote.
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private ScopeCheck checkOnce(RepositoryScope flag) {
    Optional<ScopeConfigMap.Stored> stored = store.readStored();
    ScopeRecord now = new ScopeRecord(flag, clock.instant(), recordedBy);
    if (stored.isEmpty()) {
      store.write(now, stored);
      LOG.info("recorded {} mode in ConfigMap {}", flag.value(), store.describe());
      return ScopeCheck.RECORDED;
    }
    ScopeRecord recorded = stored.get().record();
    if (recorded.scope() == flag) {
      return ScopeCheck.UNCHANGED;
    }
    List<String> repositories = repositoryNames();
    if (!repositories.isEmpty()) {
      throw new ScopeMismatchException(mismatch(flag, recorded, repositories));
    }
    store.write(now, stored);
    LOG.info(
        "no Repository exists: {} mode replaces the recorded {} mode in ConfigMap {}",
        flag.value(),
        recorded.scope().value(),
        store.describe());
    return ScopeCheck.RE_RECORDED;
  }

  private List<String> repositoryNames() {
    try {
      return client
          .resources(Repository.class)
          .inNamespace(operatorNamespace)
          .list()
          .getItems()
          .stream()
          .map(r -> operatorNamespace + "/" + r.getMetadata().getName())
          .sorted()
          .toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return List.of(); // the CRD is not installed, so no Repository can exist
      }
      throw e;
    }
  }

  private String mismatch(RepositoryScope flag, ScopeRecord recorded, List<String> repositories) {
    String names =
        String.join(", ", repositories.subList(0, Math.min(NAMES_SHOWN, repositories.size())));
    if (repositories.size() > NAMES_SHOWN) {
      names += " and " + (repositories.size() - NAMES_SHOWN) + " more";
    }
    return "refusing to start in "
        + flag.value()
        + " mode (--repository-scope="
        + flag.value()
        + "): the Repositories here were made in "
        + recorded.scope().value()
        + " mode (recorded in ConfigMap "
        + store.describe()
        + " at "
        + recorded.recordedAt()
        + " by "
        + recorded.recordedBy()
        + ") and "
        + repositories.size()
        + (repositories.size() == 1 ? " still exists (" : " still exist (")
        + names
        + "); migration between modes is not supported. Restart with --repository-scope="
        + recorded.scope().value()
        + ", or delete all Repositories in "
        + operatorNamespace
        + " first (their backup data stays in storage) and start again; see docs/modes.md";
  }
}
