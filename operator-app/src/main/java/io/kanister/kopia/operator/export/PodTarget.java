package io.kanister.kopia.operator.export;

/** A container of a pod, where client files are written over the exec API. */
public record PodTarget(String namespace, String pod, String container) {
  public PodTarget {
    if (isBlank(namespace) || isBlank(pod) || isBlank(container)) {
      throw new IllegalArgumentException("a pod target needs a namespace, a pod and a container");
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  @Override
  public String toString() {
    return "pod " + namespace + "/" + pod + " container " + container;
  }
}
