package io.kanister.kopia.operator.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads an {@code admission.k8s.io/v1} AdmissionReview, asks the judge, writes the answer. */
final class AdmissionReviewHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionReviewHandler.class);
  // An AdmissionReview carries the object and the old object; each is at most ~1.5 MiB in etcd.
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final RepositoryAdmission admission;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  AdmissionReviewHandler(RepositoryAdmission admission) {
    this.admission = admission;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "only POST of an admission.k8s.io/v1 AdmissionReview is served\n");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        send(exchange, 413, "AdmissionReview larger than " + MAX_BODY + " bytes\n");
        return;
      }
      AdmissionRequest request;
      try {
        AdmissionReview review =
            serialization.unmarshal(
                new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
        request = review == null ? null : review.getRequest();
      } catch (RuntimeException e) {
        request = null;
      }
      if (request == null || request.getUid() == null) {
        send(exchange, 400, "expected an admission.k8s.io/v1 AdmissionReview with a request\n");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      send(exchange, 200, serialization.asJson(answer(request, judge(request))));
    }
  }

  private AdmissionVerdict judge(AdmissionRequest request) {
    try {
      AdmissionVerdict verdict = admission.review(request);
      if (!verdict.allowed()) {
        LOG.info("{} {} denied: {}", request.getOperation(), request.getName(), verdict.message());
      }
      return verdict;
    } catch (RuntimeException e) {
      // A readable denial beats a 500, which the API server would report without any reason.
      LOG.warn("{} {} could not be judged", request.getOperation(), request.getName(), e);
      return AdmissionVerdict.deny(
          "Repository "
              + request.getNamespace()
              + "/"
              + request.getName()
              + " could not be read by the kopia-operator webhook ("
              + e.getClass().getSimpleName()
              + "); check that it matches the installed CRD",
          List.of());
    }
  }

  private static AdmissionReview answer(AdmissionRequest request, AdmissionVerdict verdict) {
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder()
            .withUid(request.getUid())
            .withAllowed(verdict.allowed())
            .withWarnings(verdict.warnings().isEmpty() ? null : verdict.warnings());
    if (!verdict.allowed()) {
      response.withStatus(
          new StatusBuilder()
              .withCode(403)
              .withReason("Forbidden")
              .withMessage(verdict.message())
              .build());
    }
    return new AdmissionReviewBuilder()
        .withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview")
        .withResponse(response.build())
        .build();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
