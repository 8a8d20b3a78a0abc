package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** Mock API server expectations for a running pod and the execs that write files into it. */
final class MockPods {
  private MockPods() {}

  /** The pod lookups fabric8 makes before an exec (it checks the container exists). */
  static void runningPod(
      KubernetesMockServer server, String namespace, String name, String container) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName(container)
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .endStatus()
            .build();
    String base = "/api/v1/namespaces/" + namespace + "/pods";
    server.expect().get().withPath(base + "/" + name).andReturn(200, pod).always();
    server
        .expect()
        .get()
        .withPath(base + "?fieldSelector=metadata.name%3D" + name)
        .andReturn(
            200,
            new PodListBuilder()
                .withNewMetadata()
                .withResourceVersion("1")
                .endMetadata()
                .addToItems(pod)
                .build())
        .always();
  }

  /** The exec URL fabric8 builds for writing {@code length} bytes to {@code path}. */
  static String execPath(PodTarget target, String path, int length) {
    String commands =
        ExecPodFileWriter.command(path, length).stream()
            .map(c -> "command=" + encode(c))
            .collect(Collectors.joining("&"));
    return "/api/v1/namespaces/"
        + target.namespace()
        + "/pods/"
        + target.pod()
        + "/exec?"
        + commands
        + "&container="
        + target.container()
        + "&stdin=true&stdout=true&stderr=true";
  }

  /**
   * An exec that succeeds only if stdin carries exactly {@code content} (channel 0): any other
   * message makes the mock close the stream without an exit status.
   */
  static void acceptsWrite(
      KubernetesMockServer server, PodTarget target, String path, String content) {
    server
        .expect()
        .withPath(execPath(target, path, content.getBytes(StandardCharsets.UTF_8).length))
        .andUpgradeToWebSocket()
        .open()
        .expect("\u0000" + content)
        .andEmit(new StatusMessage(0))
        .once()
        .done()
        .once();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
