package io.kanister.kopia.model.examples;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.model.repository.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The manifests of docs/examples, read as the API server would receive them. */
final class Examples {
  static final Path FOLDER = Path.of("..", "docs", "examples").toAbsolutePath().normalize();
  static final String NAMESPACE_MODE = "namespace-mode.yaml";
  static final String GLOBAL_MODE = "global-mode.yaml";

  private Examples() {}

  static List<GenericKubernetesResource> objects(String file) {
    try {
      String text = Files.readString(FOLDER.resolve(file));
      return Arrays.stream(text.split("(?m)^---\\s*$"))
          .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
          .map(document -> Serialization.unmarshal(document, GenericKubernetesResource.class))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Secret secret(String file, String name) {
    return objects(file).stream()
        .filter(o -> o.getKind().equals("Secret") && o.getMetadata().getName().equals(name))
        .map(o -> Serialization.jsonMapper().convertValue(o, Secret.class))
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no Secret " + name));
  }

  static Repository repository(String file) {
    return objects(file).stream()
        .filter(o -> o.getKind().equals(Repository.KIND))
        .map(o -> Serialization.jsonMapper().convertValue(o, Repository.class))
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no Repository"));
  }
}
