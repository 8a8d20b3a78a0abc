package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The Secrets the repository server is started and populated with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerSpec {
  public static final int MAX_ACCESS_SECRETS = 64;

  @JsonPropertyDescription(
      "Secret with the server UI and server-control credentials; generated if omitted.")
  @Pattern(KubernetesNames.DNS_SUBDOMAIN)
  @Size(min = 1, max = KubernetesNames.DNS_SUBDOMAIN_MAX_LENGTH)
  private String adminSecretName;

  @JsonPropertyDescription(
      "kubernetes.io/tls Secret for the server (cert-manager or your own). If omitted, the operator"
          + " issues a self-signed certificate into its own Secret <service>-tls and renews it;"
          + " clients pin its fingerprint either way.")
  @Pattern(KubernetesNames.DNS_SUBDOMAIN)
  @Size(min = 1, max = KubernetesNames.DNS_SUBDOMAIN_MAX_LENGTH)
  private String tlsSecretName;

  @JsonPropertyDescription(
      "Secrets whose keys are workload identifiers and whose values are YAML with username and"
          + " password: the predefined server access users.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ACCESS_SECRETS)
  @ValidationRule(
      value = "self.all(n, self.exists_one(m, m == n))",
      message = "spec.server.accessSecretNames: each Secret may be listed only once")
  private List<
          @Pattern(KubernetesNames.DNS_SUBDOMAIN)
          @Size(min = 1, max = KubernetesNames.DNS_SUBDOMAIN_MAX_LENGTH) String>
      accessSecretNames = new ArrayList<>();

  public String getAdminSecretName() {
    return adminSecretName;
  }

  public void setAdminSecretName(String adminSecretName) {
    this.adminSecretName = adminSecretName;
  }

  public String getTlsSecretName() {
    return tlsSecretName;
  }

  public void setTlsSecretName(String tlsSecretName) {
    this.tlsSecretName = tlsSecretName;
  }

  public List<String> getAccessSecretNames() {
    return accessSecretNames;
  }

  public void setAccessSecretNames(List<String> accessSecretNames) {
    this.accessSecretNames = accessSecretNames == null ? new ArrayList<>() : accessSecretNames;
  }
}
