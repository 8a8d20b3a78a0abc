package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.policy.RepositoryPolicyMapper;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.secret.AdminSecretParser;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.model.secret.RepositoryLocation;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.model.secret.ServerAdminCredentials;
import io.kanister.kopia.model.secret.ServerTls;
import io.kanister.kopia.model.secret.TlsSecretParser;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.ProblemCollector;
import io.kanister.kopia.model.validation.Validated;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Step 1 of a reconcile: reads the Secrets a Repository names and validates them with the model's
 * parsers. Every problem names the Secret and key (or the spec field) and never a value.
 */
final class RepositoryInputsLoader {
  /** Reason of a failure to load inputs, for the condition. */
  enum Failure {
    SECRET_NOT_FOUND("SecretNotFound"),
    INVALID_SECRET("InvalidSecret"),
    INVALID_SPEC("InvalidSpec");

    final String reason;

    Failure(String reason) {
      this.reason = reason;
    }
  }

  /** Loaded inputs, or the reason and the problems that stop the reconcile. */
  record Loaded(
      Optional<RepositoryInputs> inputs, Failure failure, java.util.List<Problem> problems) {}

  private final BiFunction<String, String, Secret> secrets;
  private final FilesystemRoots filesystemRoots;

  /**
   * @param secrets looks a Secret up by namespace and name; null when missing
   * @param filesystemRoots where filesystem locations may be
   */
  RepositoryInputsLoader(
      BiFunction<String, String, Secret> secrets, FilesystemRoots filesystemRoots) {
    this.secrets = secrets;
    this.filesystemRoots = filesystemRoots;
  }

  /**
   * @param gcsCredentialsFile where the operator's own kopia finds a GCS key (a workspace file)
   * @param generatedAdmin the operator-generated admin Secret, used when the spec names none
   * @param issuedTls the operator-issued TLS Secret, used when the spec names none
   */
  Loaded load(
      Repository repository,
      Path gcsCredentialsFile,
      Optional<Secret> generatedAdmin,
      Optional<Secret> issuedTls) {
    String namespace = repository.getMetadata().getNamespace();
    RepositorySpec spec = repository.getSpec();
    ProblemCollector missing = new ProblemCollector();

    String locationName = spec.getLocation().getSecretName();
    Secret locationSecret = require(namespace, locationName, "spec.location.secretName", missing);
    String tlsName = spec.getServer() == null ? null : spec.getServer().getTlsSecretName();
    // No TLS Secret named: the server serves with the certificate the operator issued.
    Secret tlsSecret =
        tlsName == null
            ? issuedTls.orElseThrow(
                () ->
                    new IllegalStateException(
                        "issued TLS Secret is missing for " + repository.getMetadata().getName()))
            : require(namespace, tlsName, "spec.server.tlsSecretName", missing);
    String adminName = spec.getServer() == null ? null : spec.getServer().getAdminSecretName();
    Optional<Secret> adminSecret =
        adminName == null
            ? Optional.empty()
            : Optional.ofNullable(
                require(namespace, adminName, "spec.server.adminSecretName", missing));
    if (!missing.isEmpty()) {
      return new Loaded(Optional.empty(), Failure.SECRET_NOT_FOUND, missing.problems());
    }

    ProblemCollector invalid = new ProblemCollector();
    Validated<RepositoryLocation> location =
        LocationSecretParser.parse(
            SecretData.of(locationSecret), gcsCredentialsFile.toString(), filesystemRoots);
    invalid.addAll(location.problems());
    Validated<ServerTls> tls = TlsSecretParser.parse(SecretData.of(tlsSecret));
    invalid.addAll(tls.problems());
    Optional<Secret> adminSource = adminSecret.or(() -> generatedAdmin);
    Validated<ServerAdminCredentials> admin =
        adminSource.map(s -> AdminSecretParser.parse(SecretData.of(s))).orElse(null);
    if (admin != null) {
      invalid.addAll(admin.problems());
    }
    if (!invalid.isEmpty()) {
      return new Loaded(Optional.empty(), Failure.INVALID_SECRET, invalid.problems());
    }

    Validated<Map<PolicyTarget, Policy>> policies =
        RepositoryPolicyMapper.policies(spec.getPolicy(), spec.getPolicies());
    if (!policies.isValid()) {
      return new Loaded(Optional.empty(), Failure.INVALID_SPEC, policies.problems());
    }
    Map<PolicyTarget, Policy> managed = new HashMap<>(policies.value());
    if (spec.getPolicy() == null) {
      // No spec.policy: leave the global policy as kopia (or someone else) set it.
      managed.remove(PolicyTarget.global());
    }
    if (admin == null) {
      // Only while the generated admin Secret does not exist yet; the reconciler creates it first.
      throw new IllegalStateException(
          "generated admin Secret is missing for " + repository.getMetadata().getName());
    }
    return new Loaded(
        Optional.of(
            new RepositoryInputs(
                locationSecret,
                location.value(),
                adminSecret,
                adminSecret.isPresent() ? Optional.empty() : generatedAdmin,
                admin.value(),
                tlsSecret,
                tls.value(),
                Map.copyOf(managed))),
        null,
        java.util.List.of());
  }

  private Secret require(String namespace, String name, String field, ProblemCollector missing) {
    Secret secret = secrets.apply(namespace, name);
    if (secret == null) {
      missing.add(
          "Secret " + namespace + "/" + name + " (" + field + ")",
          "does not exist; create it, or fix " + field);
    }
    return secret;
  }
}
