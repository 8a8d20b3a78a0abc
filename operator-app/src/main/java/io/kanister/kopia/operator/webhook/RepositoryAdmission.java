package io.kanister.kopia.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.policy.RepositoryPolicyMapper;
import io.kanister.kopia.model.repository.KubernetesNames;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.ProblemCollector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The webhook's decisions on Repository CREATE and UPDATE, free of HTTP: the rules the schema and
 * CEL cannot express because they depend on the operator's mode and namespace, on the old object or
 * on other objects.
 */
public final class RepositoryAdmission {
  /** The one Repository global mode allows. */
  public static final String GLOBAL_REPOSITORY_NAME = Repository.GLOBAL_NAME;

  private static final Pattern SECRET_NAME = Pattern.compile(KubernetesNames.DNS_SUBDOMAIN);

  private final RepositoryScope scope;
  private final String operatorNamespace;
  private final SecretLookup secrets;
  private final FilesystemRoots filesystemRoots;
  private final RepositoryLister repositories;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public RepositoryAdmission(
      RepositoryScope scope, String operatorNamespace, SecretLookup secrets) {
    this(scope, operatorNamespace, secrets, FilesystemRoots.anywhere());
  }

  /**
   * @param filesystemRoots where an existing location Secret's filesystem path may point
   */
  public RepositoryAdmission(
      RepositoryScope scope,
      String operatorNamespace,
      SecretLookup secrets,
      FilesystemRoots filesystemRoots) {
    this(scope, operatorNamespace, secrets, filesystemRoots, namespace -> List.of());
  }

  /**
   * @param repositories the existing Repositories: a Repository whose location Secret points at the
   *     storage of an older one is refused
   */
  public RepositoryAdmission(
      RepositoryScope scope,
      String operatorNamespace,
      SecretLookup secrets,
      FilesystemRoots filesystemRoots,
      RepositoryLister repositories) {
    this.repositories = Objects.requireNonNull(repositories, "repositories");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.operatorNamespace = Objects.requireNonNull(operatorNamespace, "operatorNamespace");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.filesystemRoots = Objects.requireNonNull(filesystemRoots, "filesystemRoots");
  }

  /** Judges one AdmissionReview request; anything but a Repository CREATE or UPDATE passes. */
  public AdmissionVerdict review(AdmissionRequest request) {
    if (request.getKind() == null || !Repository.KIND.equals(request.getKind().getKind())) {
      return AdmissionVerdict.allow(List.of());
    }
    String operation = String.valueOf(request.getOperation());
    if (!operation.equals("CREATE") && !operation.equals("UPDATE")) {
      return AdmissionVerdict.allow(List.of());
    }
    Repository object = serialization.convertValue(request.getObject(), Repository.class);
    Repository old =
        operation.equals("UPDATE") && request.getOldObject() != null
            ? serialization.convertValue(request.getOldObject(), Repository.class)
            : null;
    String namespace =
        request.getNamespace() != null
            ? request.getNamespace()
            : object.getMetadata().getNamespace();
    return review(namespace, object, old);
  }

  /**
   * @param old the stored object on UPDATE, {@code null} on CREATE
   */
  public AdmissionVerdict review(String namespace, Repository repository, Repository old) {
    String subject = "Repository " + namespace + "/" + displayName(repository.getMetadata());
    if (old != null && repository.getMetadata().getDeletionTimestamp() != null) {
      // Finalizer removal must never be blocked, or a bad object could never be deleted.
      return AdmissionVerdict.allow(List.of());
    }
    ProblemCollector problems = new ProblemCollector();
    checkNamespace(namespace, problems);
    RepositorySpec spec =
        repository.getSpec() == null ? new RepositorySpec() : repository.getSpec();
    checkScope(repository.getMetadata().getName(), spec, problems);
    if (old != null) {
      checkTargetUnchanged(old.getSpec(), spec, problems);
    }
    checkSecretNames(spec, problems);
    checkPolicies(spec, problems);
    checkFilesystemPath(namespace, spec, problems);
    if (problems.isEmpty() && (old == null || locationChanged(old.getSpec(), spec))) {
      // Only when the location is chosen: a metadata edit (the operator's own finalizer) of a
      // Repository the reconciler already reports as StorageInUse must not be refused.
      new StorageInUseCheck(secrets, repositories).check(namespace, repository, problems);
    }
    if (!problems.isEmpty()) {
      return AdmissionVerdict.deny(denial(subject, problems.problems()), List.of());
    }
    return AdmissionVerdict.allow(missingSecretWarnings(subject, namespace, spec));
  }

  private void checkNamespace(String namespace, ProblemCollector problems) {
    if (!operatorNamespace.equals(namespace)) {
      problems.add(
          "metadata.namespace",
          "Repositories must be created in the operator namespace '"
              + operatorNamespace
              + "', not '"
              + namespace
              + "'; create it there (kubectl -n "
              + operatorNamespace
              + " apply ...) and name the served namespace in spec.targetNamespace");
    }
  }

  private void checkScope(String name, RepositorySpec spec, ProblemCollector problems) {
    if (scope == RepositoryScope.GLOBAL) {
      if (!GLOBAL_REPOSITORY_NAME.equals(name)) {
        problems.add(
            "metadata.name",
            "the operator runs in global mode (--repository-scope=global), where the only"
                + " Repository is the singleton '"
                + GLOBAL_REPOSITORY_NAME
                + "', which serves every namespace; use it instead, or run the operator in"
                + " namespace mode on a cluster without Repositories (see docs/modes.md)");
      }
      if (spec.getTargetNamespace() != null) {
        problems.add(
            "spec.targetNamespace",
            "must be omitted in global mode: the global Repository serves every namespace;"
                + " remove the field");
      }
    } else if (spec.getTargetNamespace() == null || spec.getTargetNamespace().isBlank()) {
      problems.add(
          "spec.targetNamespace",
          "is required in namespace mode (--repository-scope=namespace); set it to the namespace"
              + " whose workloads this Repository serves");
    }
  }

  private static boolean locationChanged(RepositorySpec oldSpec, RepositorySpec spec) {
    String before =
        oldSpec == null || oldSpec.getLocation() == null
            ? null
            : oldSpec.getLocation().getSecretName();
    String after = spec.getLocation() == null ? null : spec.getLocation().getSecretName();
    return !Objects.equals(before, after);
  }

  private static void checkTargetUnchanged(
      RepositorySpec oldSpec, RepositorySpec spec, ProblemCollector problems) {
    String before = oldSpec == null ? null : oldSpec.getTargetNamespace();
    String after = spec.getTargetNamespace();
    if (!Objects.equals(before, after)) {
      problems.add(
          "spec.targetNamespace",
          "is immutable: it cannot be changed from "
              + quoted(before)
              + " to "
              + quoted(after)
              + "; keep "
              + quoted(before)
              + ", or create a new Repository for "
              + quoted(after)
              + " instead");
    }
  }

  private static void checkSecretNames(RepositorySpec spec, ProblemCollector problems) {
    if (spec.getLocation() == null || spec.getLocation().getSecretName() == null) {
      problems.add(
          SecretReference.LOCATION_FIELD,
          "is required: name the Secret with the storage location and repository password"
              + " (see docs/secrets.md)");
    }
    for (SecretReference reference : SecretReference.in(spec)) {
      String name = reference.name();
      if (name == null
          || name.length() > KubernetesNames.DNS_SUBDOMAIN_MAX_LENGTH
          || !SECRET_NAME.matcher(name).matches()) {
        problems.add(
            reference.field(),
            quoted(name)
                + " is not a valid Secret name: use at most 253 lower-case letters, digits, '-'"
                + " and '.', starting and ending with a letter or digit (DNS-1123 subdomain);"
                + " name the Secret accordingly and refer to that name");
      }
    }
  }

  /** Policies, crontab lines included, are checked by the model's mapper, as in a reconcile. */
  private static void checkPolicies(RepositorySpec spec, ProblemCollector problems) {
    problems.addAll(
        RepositoryPolicyMapper.policies(spec.getPolicy(), spec.getPolicies()).problems());
  }

  /**
   * A location Secret that already exists and names a filesystem path outside the roots (or with
   * {@code ..}) is refused here; one created later is refused by the reconciler, with the same
   * words.
   */
  private void checkFilesystemPath(
      String namespace, RepositorySpec spec, ProblemCollector problems) {
    if (spec.getLocation() == null || spec.getLocation().getSecretName() == null) {
      return;
    }
    String name = spec.getLocation().getSecretName();
    Optional<SecretData> data;
    try {
      data = secrets.data(namespace, name);
    } catch (RuntimeException e) {
      return; // Existence is reported by the warnings; the reconciler checks the path again.
    }
    data.filter(d -> text(d, LocationSecretParser.TYPE).equalsIgnoreCase("filesystem"))
        .map(d -> text(d, LocationSecretParser.PATH))
        .filter(path -> !path.isEmpty())
        .flatMap(filesystemRoots::problem)
        .ifPresent(
            problem ->
                problems.add(
                    SecretReference.LOCATION_FIELD,
                    "Secret "
                        + namespace
                        + "/"
                        + name
                        + ", key '"
                        + LocationSecretParser.PATH
                        + "' "
                        + problem));
  }

  private static String text(SecretData data, String key) {
    return data.bytes(key)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip())
        .orElse("");
  }

  private List<String> missingSecretWarnings(
      String subject, String namespace, RepositorySpec spec) {
    List<String> warnings = new ArrayList<>();
    for (SecretReference reference : SecretReference.in(spec)) {
      String secret = "Secret " + namespace + "/" + reference.name();
      try {
        if (!secrets.exists(namespace, reference.name())) {
          warnings.add(
              subject
                  + ": "
                  + reference.field()
                  + ": "
                  + secret
                  + " does not exist yet; the Repository will wait until it is created");
        }
      } catch (RuntimeException e) {
        warnings.add(
            subject
                + ": "
                + reference.field()
                + ": could not check whether "
                + secret
                + " exists ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    return warnings;
  }

  private static String denial(String subject, List<Problem> problems) {
    return subject
        + " is not allowed: "
        + problems.stream().map(Problem::text).collect(Collectors.joining("; "));
  }

  private static String displayName(ObjectMeta metadata) {
    if (metadata.getName() != null && !metadata.getName().isEmpty()) {
      return metadata.getName();
    }
    return metadata.getGenerateName() == null ? "(unnamed)" : metadata.getGenerateName() + "*";
  }

  private static String quoted(String value) {
    return value == null ? "(none)" : "'" + value + "'";
  }
}
