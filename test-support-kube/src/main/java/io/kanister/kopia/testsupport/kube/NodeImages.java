package io.kanister.kopia.testsupport.kube;

import io.kanister.kopia.testsupport.RealParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The images the node may run, all built locally ({@code scripts/build-images.sh}) and imported
 * into containerd: no registry, no pull. {@code images.txt} has one line per image: {@code <image
 * ref> <absolute path of an archive ctr can import>}.
 */
public final class NodeImages {
  private final Path list;
  private final Map<String, Path> archives;

  private NodeImages(Path list, Map<String, Path> archives) {
    this.list = list;
    this.archives = archives;
  }

  /**
   * {@code $KKO_IMAGES_DIR/images.txt}, default {@code ~/.cache/kanister-kopia-operator/images}.
   */
  static Path defaultList() {
    String dir = System.getenv("KKO_IMAGES_DIR");
    Path base =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : Path.of(System.getProperty("user.home"), ".cache/kanister-kopia-operator/images");
    return base.resolve("images.txt");
  }

  /** The listed images, or a failure (strict) / skip naming the build command. */
  static NodeImages require(Path list) {
    if (!Files.isRegularFile(list)) {
      throw RealParts.missing("node images (" + list + ")", "Run scripts/build-images.sh");
    }
    Map<String, Path> archives = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(list)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2) {
          archives.put(parts[0], Path.of(parts[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    archives.forEach(
        (ref, archive) -> {
          if (!Files.isRegularFile(archive)) {
            throw RealParts.missing(
                "image archive " + archive + " for " + ref, "Run scripts/build-images.sh");
          }
        });
    return new NodeImages(list, archives);
  }

  /** The first image whose reference contains {@code fragment}, for example {@code "/pause:"}. */
  public Optional<String> find(String fragment) {
    return archives.keySet().stream().filter(ref -> ref.contains(fragment)).findFirst();
  }

  /** Like {@link #find} but fails (strict) / skips when the image is not listed. */
  public String require(String fragment) {
    return find(fragment)
        .orElseThrow(
            () ->
                RealParts.missing(
                    "an image matching '" + fragment + "' in " + list,
                    "Run scripts/build-images.sh"));
  }

  Map<String, Path> archives() {
    return archives;
  }
}
