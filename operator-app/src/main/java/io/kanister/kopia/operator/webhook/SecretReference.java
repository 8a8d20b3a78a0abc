package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import java.util.ArrayList;
import java.util.List;

/** A Secret name a Repository spec refers to, with the field that holds it. */
record SecretReference(String field, String name) {
  static final String LOCATION_FIELD = "spec.location.secretName";

  /** Every Secret name set in {@code spec}; the location one first, unset fields left out. */
  static List<SecretReference> in(RepositorySpec spec) {
    List<SecretReference> references = new ArrayList<>();
    if (spec.getLocation() != null && spec.getLocation().getSecretName() != null) {
      references.add(new SecretReference(LOCATION_FIELD, spec.getLocation().getSecretName()));
    }
    ServerSpec server = spec.getServer();
    if (server != null) {
      if (server.getAdminSecretName() != null) {
        references.add(
            new SecretReference("spec.server.adminSecretName", server.getAdminSecretName()));
      }
      if (server.getTlsSecretName() != null) {
        references.add(new SecretReference("spec.server.tlsSecretName", server.getTlsSecretName()));
      }
      List<String> access = server.getAccessSecretNames();
      for (int i = 0; i < access.size(); i++) {
        references.add(
            new SecretReference("spec.server.accessSecretNames[" + i + "]", access.get(i)));
      }
    }
    return references;
  }
}
