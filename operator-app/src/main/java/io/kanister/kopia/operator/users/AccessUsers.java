package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.operator.tokens.ServiceAccountTokens;
import io.kanister.kopia.operator.tokens.TokenIssuer;
import io.kanister.kopia.operator.tokens.TokenIssuer.TokenRequestIssuer;
import io.kanister.kopia.operator.tokens.TokenSettings;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.users.ManagedUsersConfigMap.UsersKeySecret;
import io.kanister.kopia.operator.users.UsersConverger.ServerRefresher;
import io.kanister.kopia.operator.workload.LabelledWorkloads;
import io.kanister.kopia.operator.workload.WorkloadSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server access users of every Repository: reads the access Secrets and labelled workloads,
 * issues and rotates tokens, and converges the server's users. One instance per operator; it keeps
 * each repository's tokens in memory only, and its verification cache in memory and, keyed by
 * {@link UsersKeySecret}, in the record of managed users.
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
    private final VerifiedUsers verified = new VerifiedUsers();
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
    return reconcile(repository, targetNamespace, kopia, refresher, Optional.empty());
  }

  /**
   * As above, with the digest of the user manifests this pass listed ({@code manifest list}): while
   * it and the desired users are those of the last quiet convergence, nothing is read or written in
   * kopia and that convergence's result stands.
   */
  public UsersOutcome reconcile(
      Repository repository,
      String targetNamespace,
      Kopia kopia,
      ServerRefresher refresher,
      Optional<String> userManifests) {
    RepositoryState state = states.computeIfAbsent(key(repository), k -> newState(repository));
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
    ManagedUsersConfigMap record = new ManagedUsersConfigMap(client, repository);
    Optional<ConvergenceResult> unchanged =
        state.verified.unchanged(
            userManifests, desired, userManifests.isEmpty() ? Optional.empty() : record.version());
    if (unchanged.isPresent()) {
      return new UsersOutcome(unchanged.get(), state.dynamic.nextRotation());
    }
    // Whatever this convergence ends with, the earlier quiet one no longer vouches for Kopia.
    state.verified.forget();
    ConvergenceResult result = state.converger.converge(kopia, desired, record, refresher);
    state.verified.converged(userManifests, desired, result, record.lastSeenVersion());
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

  private RepositoryState newState(Repository repository) {
    return new RepositoryState(
        new DynamicUsers(workloads, new ServiceAccountTokens(issuer, settings.tokens(), clock)),
        new UsersConverger(settings.parallelism(), new UsersKeySecret(client, repository)));
  }

  private static String key(Repository repository) {
    String uid = repository.getMetadata().getUid();
    return uid != null
        ? uid
        : repository.getMetadata().getNamespace() + "/" + repository.getMetadata().getName();
  }

  /**
   * One reconcile's users work: the convergence, and when the next token rotation is due (empty
   * without dynamic users).
   */
  public record UsersOutcome(ConvergenceResult result, Optional<Instant> nextRotation) {
    /** How long the reconciler should wait before the next rotation; zero when it is overdue. */
    public Optional<Duration> requeueAfter(Instant now) {
      return nextRotation.map(due -> due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO);
    }
  }

  /**
   * Operator-wide settings of the access users.
   *
   * @param parallelism how many kopia user writes (and password checks) run at once; at least 4
   */
  public record AccessUsersSettings(TokenSettings tokens, int parallelism) {
    public AccessUsersSettings {
      if (parallelism < UsersConverger.MINIMUM_PARALLELISM) {
        throw new IllegalArgumentException(
            "user write parallelism must be at least " + UsersConverger.MINIMUM_PARALLELISM);
      }
    }

    public static AccessUsersSettings defaults() {
      return new AccessUsersSettings(TokenSettings.defaults(), UsersConverger.DEFAULT_PARALLELISM);
    }
  }
}
