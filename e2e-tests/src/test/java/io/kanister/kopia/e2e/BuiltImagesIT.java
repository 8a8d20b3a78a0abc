package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kanister.kopia.operator.server.ServerPlan;
import io.kanister.kopia.testsupport.RealParts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The images scripts/build-images.sh wrote before these tests (e2e-tests' pre-integration-test):
 * every one is listed, its archive carries its reference, and the server image starts kopia the way
 * the operator's server Deployment calls it. (Each image was also started under runc by the build
 * itself.)
 */
class BuiltImagesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyImageIsListedTaggedAndShapedForItsPod() throws IOException {
    Map<String, Path> images = listed();
    assertThat(images.keySet())
        .anyMatch(ref -> ref.startsWith("localhost/kko/operator:"))
        .contains(
            "localhost/kko/kopia-server:0.23.1",
            "localhost/kko/data-mover:0.23.1",
            "localhost/kko/pause:3.10")
        // Never untagged or :latest, which a kubelet would pull with policy Always.
        .allMatch(ref -> ref.substring(ref.lastIndexOf('/')).contains(":"))
        .noneMatch(ref -> ref.endsWith(":latest"));

    Map<String, JsonNode> configs = new HashMap<>();
    for (var image : images.entrySet()) {
      Map<String, byte[]> archive = smallEntries(image.getValue());
      JsonNode manifest = JSON.readTree(archive.get("manifest.json")).get(0);
      assertThat(manifest.get("RepoTags").toString()).contains(image.getKey());
      configs.put(image.getKey(), JSON.readTree(archive.get(manifest.get("Config").asText())));
      System.out.printf(
          "[figures] image %s: %.1f MiB (docker-archive)%n",
          image.getKey(), Files.size(image.getValue()) / 1048576.0);
    }

    JsonNode server = configs.get("localhost/kko/kopia-server:0.23.1").get("config");
    assertThat(server.get("Entrypoint").get(0).asText()).isEqualTo(ServerPlan.KOPIA_ENTRY_POINT);
    assertThat(server.get("User").asText()).isEqualTo("65532:65532");
    JsonNode dataMover = configs.get("localhost/kko/data-mover:0.23.1").get("config");
    assertThat(dataMover.get("User").asText()).isEqualTo("65532:65532");
    JsonNode operator =
        configs.entrySet().stream()
            .filter(e -> e.getKey().startsWith("localhost/kko/operator:"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .get("config");
    assertThat(operator.get("User").asText()).isEqualTo("65532:65532");
    assertThat(operator.get("Entrypoint").get(0).asText()).isEqualTo("/bin/kopia-operator");
  }

  /** images.txt: reference to docker-archive path. */
  private static Map<String, Path> listed() throws IOException {
    Path list = imagesDir().resolve("images.txt");
    if (!Files.isRegularFile(list)) {
      throw RealParts.missing(
          "container images",
          "Run scripts/build-images.sh (e2e-tests runs it before the integration tests); looked"
              + " for "
              + list);
    }
    Map<String, Path> images = new LinkedHashMap<>();
    for (String line : Files.readAllLines(list)) {
      String[] fields = line.trim().split(" ");
      if (fields.length == 2) {
        Path archive = Path.of(fields[1]);
        assertThat(archive).as("archive of %s", fields[0]).isRegularFile();
        images.put(fields[0], archive);
      }
    }
    return images;
  }

  private static Path imagesDir() {
    String dir = System.getenv("KKO_IMAGES_DIR");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("kanister-kopia-operator").resolve("images");
  }

  /** The JSON entries of a tar file (manifest and image config); layers are skipped. */
  private static Map<String, byte[]> smallEntries(Path tar) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        long padded = (size + 511) / 512 * 512;
        if (name.endsWith(".json") && size < 1 << 20) {
          entries.put(name, in.readNBytes((int) size));
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
    }
    assertThat(entries).as("entries of %s", tar).containsKey("manifest.json");
    return entries;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
