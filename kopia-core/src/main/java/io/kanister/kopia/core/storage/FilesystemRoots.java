package io.kanister.kopia.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The directories under which filesystem repositories may live. Kopia writes wherever it is told,
 * so a location Secret could otherwise point the operator at any directory of its own container
 * ({@code /etc}, say). A path is judged as text, before anything touches the disk: it must be
 * absolute, must not contain a {@code ..} segment (even one that would stay inside a root, so that
 * what a user wrote is what is used), and once normalized ({@code //} and {@code /./} collapsed,
 * trailing {@code /} dropped) must be a root or lie below one.
 */
public final class FilesystemRoots {
  private static final FilesystemRoots ANYWHERE = new FilesystemRoots(List.of("/"));

  private final List<String> roots;

  private FilesystemRoots(List<String> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * @throws IllegalArgumentException naming the root that is not absolute, holds {@code ..} or is
   *     missing
   */
  public static FilesystemRoots of(List<String> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one filesystem root is needed");
    }
    List<String> normalized = new ArrayList<>();
    for (String root : roots) {
      Optional<String> problem = shapeProblem(root);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("filesystem root '" + root + "' " + problem.get());
      }
      normalized.add(normalize(root));
    }
    return new FilesystemRoots(normalized);
  }

  /** Every absolute path without {@code ..}: for tools that run kopia on their own behalf. */
  public static FilesystemRoots anywhere() {
    return ANYWHERE;
  }

  public List<String> roots() {
    return roots;
  }

  /** What is wrong with {@code path} (a sentence fragment such as "must be absolute ..."). */
  public Optional<String> problem(String path) {
    Optional<String> shape = shapeProblem(path);
    if (shape.isPresent()) {
      return shape.map(p -> p + " under " + describe());
    }
    if (!allows(normalize(path))) {
      return Optional.of(
          "is outside the directories the operator may use for filesystem repositories ("
              + describe()
              + "); use a directory under one of them, or have the operator started with"
              + " --filesystem-roots naming the mounted volume that holds it");
    }
    return Optional.empty();
  }

  /**
   * {@code path} with {@code //} and {@code /./} collapsed and without a trailing {@code /}; check
   * it with {@link #problem} first.
   */
  public static String normalize(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    return "/" + String.join("/", segments);
  }

  private boolean allows(String normalized) {
    return roots.stream()
        .anyMatch(
            root ->
                root.equals("/") || normalized.equals(root) || normalized.startsWith(root + "/"));
  }

  private String describe() {
    return roots.stream().collect(Collectors.joining(", "));
  }

  private static Optional<String> shapeProblem(String path) {
    if (!path.startsWith("/")) {
      return Optional.of("must be an absolute path (start with '/')");
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        return Optional.of(
            "must not contain '..': give the directory's own absolute path, without '..',");
      }
    }
    return Optional.empty();
  }
}
