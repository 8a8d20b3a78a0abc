package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.ServerSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server access users of every Repository: reads the access Secrets and labelled workloads,
 * issues and rotates tokens, and converges the server's users. One instance per operator; it keeps
 * each repository's tokens and verification cache in memory only.
 */
public final class AccessUsers {
  /** Global mode has no target namespace; its users are named under this host prefix. */
  public static final String GLOBAL_USERS_NAMESPACE = "global";

  private final KubernetesClient client;
  private final WorkloadSource workloads;
  private final TokenIssuer issuer;
  private final AccessUsersSettings settings;
  private final Clock clock;
  private final Map<String, RepositoryState> states = new ConcurrentHashMap<>();

  public AccessUsers(KubernetesClient client, AccessUsersSettings settings, Clock clock) {
    this(
        client,
        new LabelledWorkloads(client),
        new TokenRequestIssuer(client, clock),
        settings,
        clock);
  }

  public AccessUsers(
      KubernetesClient client,
      WorkloadSource workloads,
      TokenIssuer issuer,
      AccessUsersSettings settings,
      Clock clock) {
    this.client = client;
    this.workloads = workloads;
    this.issuer = issuer;
    this.settings = settings;
    this.clock = clock;
  }

  private static final class RepositoryState {
    private final DynamicUsers dynamic;
    private final UsersConverger converger;
    private volatile DesiredUsers lastDesired = DesiredUsers.empty();

    RepositoryState(DynamicUsers dynamic, UsersConverger converger) {
      this.dynamic = dynamic;
      this.converger = converger;
    }
  }

  /**
   * Computes the repository's desired users and converges the server to them.
   *
   * @param targetNamespace the namespace whose workloads the repository serves
   * @param kopia the operator's direct connection to the repository
   * @param refresher refreshes this repository's server
   */
  public UsersOutcome reconcile(
      Repository repository, String targetNamespace, Kopia kopia, ServerRefresher refresher) {
    RepositoryState state = states.computeIfAbsent(key(repository), k -> newState());
    String secretNamespace = repository.getMetadata().getNamespace();
    ServerSpec server = repository.getSpec().getServer();
    List<String> names = server == null ? List.of() : server.getAccessSecretNames();
    DesiredUsers desired =
        PredefinedUsers.from(
                targetNamespace,
                secretNamespace,
                names,
                name -> client.secrets().inNamespace(secretNamespace).withName(name).get())
            .and(state.dynamic.compute(targetNamespace));
    state.lastDesired = desired;
    ConvergenceResult result =
        state.converger.converge(
            kopia, desired, new ManagedUsersConfigMap(client, repository), refresher);
    return new UsersOutcome(result, state.dynamic.nextRotation());
  }

  /**
   * The password the last reconcile gave {@code user}: for a dynamic user, its current token. For
   * re-exporting client files after a rotation; never log it.
   */
  public Optional<io.kanister.kopia.core.secret.SecretValue> currentPassword(
      Repository repository, KopiaUsername user) {
    RepositoryState state = states.get(key(repository));
    return Optional.ofNullable(state)
        .map(s -> s.lastDesired.users().get(user))
        .map(DesiredUser::password);
  }

  /** How many repositories' tokens and caches are held (RepositoryMemory's size probe). */
  public int size() {
    return states.size();
  }

  /** Drops a deleted repository's tokens and cache. */
  public void forget(Repository repository) {
    states.remove(key(repository));
  }

  private RepositoryState newState() {
    return new RepositoryState(
        new DynamicUsers(workloads, new ServiceAccountTokens(issuer, settings.tokens(), clock)),
        new UsersConverger(settings.parallelism()));
  }

  private static String key(Repository repository) {
    String uid = repository.getMetadata().getUid();
    return uid != null
        ? uid
        : repository.getMetadata().getNamespace() + "/" + repository.getMetadata().getName();
  }
}
