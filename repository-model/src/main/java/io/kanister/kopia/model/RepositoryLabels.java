package io.kanister.kopia.model;

/** Label and annotation names shared by the operator, the webhook and the users' manifests. */
public final class RepositoryLabels {
  /**
   * Label on a Repository and on its Secrets: the namespace whose workloads the repository serves.
   */
  public static final String TARGET_NAMESPACE = "repo.kanister.io/target-namespace";

  /**
   * Label on a workload opting in to generated access credentials; its only value is {@link
   * AuthnMode#SERVICE_ACCOUNT}.
   */
  public static final String AUTHN_MODE = "repo.kanister.io/authn-mode";

  /** Annotation on the operator's Deployment: the {@link RepositoryScope} it runs in. */
  public static final String REPO_SCOPE = "repo.kanister.io/repo-scope";

  private RepositoryLabels() {}
}
