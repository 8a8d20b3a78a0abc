package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;

/** Access Secret fixtures for tests in other packages. */
public final class PredefinedUsersTestAccess {
  private PredefinedUsersTestAccess() {}

  public static Secret secret(String namespace, String name, Map<String, String> entries) {
    return PredefinedUsersTest.secret(namespace, name, entries);
  }
}
