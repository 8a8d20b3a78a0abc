package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** How data-mover clients reach the repository server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerStatus {
  @JsonPropertyDescription("The Service in front of the server.")
  private String serviceName;

  @JsonPropertyDescription("The URL clients connect to, e.g. https://repo-monitoring.kanister.svc.")
  private String url;

  @JsonPropertyDescription("SHA-256 of the server certificate, 64 lowercase hex digits.")
  @Pattern("^[0-9a-f]{64}$")
  private String certificateFingerprint;

  public ServerStatus() {}

  public ServerStatus(String serviceName, String url, String certificateFingerprint) {
    this.serviceName = serviceName;
    this.url = url;
    this.certificateFingerprint = certificateFingerprint;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getCertificateFingerprint() {
    return certificateFingerprint;
  }

  public void setCertificateFingerprint(String certificateFingerprint) {
    this.certificateFingerprint = certificateFingerprint;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerStatus that
        && Objects.equals(serviceName, that.serviceName)
        && Objects.equals(url, that.url)
        && Objects.equals(certificateFingerprint, that.certificateFingerprint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serviceName, url, certificateFingerprint);
  }
}
