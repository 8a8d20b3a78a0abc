package io.kanister.kopia.model.secret;

import java.util.Objects;

/** Which Secret a value came from: what every problem about it names. */
public record SecretRef(String namespace, String name) {
  public SecretRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** Where a problem with one key is: {@code Secret ns/name, key 'bucket'}. */
  public String key(String key) {
    return this + ", key '" + key + "'";
  }

  @Override
  public String toString() {
    return "Secret " + namespace + "/" + name;
  }
}
