package io.kanister.kopia.model.repository;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The CRD the build generated from {@link Repository}, as shipped in this jar. */
public final class RepositoryCrd {
  /** Where crd-generator-maven-plugin writes it, and where the jar carries it. */
  public static final String RESOURCE = "META-INF/fabric8/" + Repository.CRD_NAME + "-v1.yml";

  private RepositoryCrd() {}

  /** The CRD as YAML text, byte for byte what deploy/crd holds. */
  public static String yaml() {
    try (InputStream in = open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public static CustomResourceDefinition load() {
    return Serialization.unmarshal(yaml(), CustomResourceDefinition.class);
  }

  private static InputStream open() {
    InputStream in = RepositoryCrd.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException(
          RESOURCE + " is missing from the classpath: build repository-model with Maven");
    }
    return in;
  }
}
