package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.util.concurrent.TimeUnit;

/** Reads the API server's own request counter ({@code apiserver_request_total}) from /metrics. */
final class ApiServerRequests {
  private ApiServerRequests() {}

  /** Requests served so far, watches excluded (a watch is one long request, not a read). */
  static double total(KubernetesClient client) throws Exception {
    HttpClient http = client.getHttpClient();
    var request = http.newHttpRequestBuilder().uri(client.getMasterUrl() + "metrics").build();
    String body = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS).body();
    double total = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("apiserver_request_total{") && !line.contains("verb=\"WATCH\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
