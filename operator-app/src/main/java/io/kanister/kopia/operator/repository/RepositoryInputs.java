package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.model.secret.RepositoryLocation;
import io.kanister.kopia.model.secret.ServerAdminCredentials;
import io.kanister.kopia.model.secret.ServerTls;
import java.util.Map;
import java.util.Optional;

/**
 * A Repository's spec resolved against its Secrets and validated: everything later steps need.
 *
 * @param adminSecret the user's admin Secret, or empty when the operator generates credentials
 * @param generatedAdminSecret the operator's generated admin Secret, when the spec names none
 * @param policies desired policies by target; no global entry means the global policy is unmanaged
 */
public record RepositoryInputs(
    Secret locationSecret,
    RepositoryLocation location,
    Optional<Secret> adminSecret,
    Optional<Secret> generatedAdminSecret,
    ServerAdminCredentials admin,
    Secret tlsSecret,
    ServerTls tls,
    Map<PolicyTarget, Policy> policies) {}
