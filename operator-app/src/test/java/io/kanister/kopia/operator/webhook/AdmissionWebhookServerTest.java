package io.kanister.kopia.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.Repositories;
import io.kanister.kopia.testsupport.TestPki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS plumbing on loopback, without an API server. */
class AdmissionWebhookServerTest {
  private static final TestPki PKI = TestPki.newCa("webhook-test-ca");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @TempDir Path dir;
  private ReloadingKeyManager keys;
  private AdmissionWebhookServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    ServingFiles.write(dir, ServingFiles.forLoopback(PKI));
    keys = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"), Duration.ZERO);
    RepositoryAdmission admission =
        new RepositoryAdmission(RepositoryScope.GLOBAL, "kanister", (ns, name) -> true);
    server = AdmissionWebhookServer.start(new InetSocketAddress("127.0.0.1", 0), keys, admission);
    client = HttpClient.newBuilder().sslContext(ServingFiles.trusting(PKI.caPem())).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersAnAdmissionReviewWithTheSameUid() throws Exception {
    AdmissionReview answer = post(review("CREATE", "second"));

    assertThat(answer.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.getKind()).isEqualTo("AdmissionReview");
    assertThat(answer.getResponse().getUid()).isEqualTo("uid-42");
    assertThat(answer.getResponse().getAllowed()).isFalse();
    assertThat(answer.getResponse().getStatus().getCode()).isEqualTo(403);
    assertThat(answer.getResponse().getStatus().getMessage())
        .startsWith("Repository kanister/second is not allowed: metadata.name:");
  }

  @Test
  void allowsTheSingleton() throws Exception {
    AdmissionReview answer = post(review("CREATE", "repository-global"));

    assertThat(answer.getResponse().getAllowed()).isTrue();
    assertThat(answer.getResponse().getStatus()).isNull();
  }

  @Test
  void refusesWhatIsNotAnAdmissionReview() throws Exception {
    HttpResponse<String> garbage = send(HttpRequest.BodyPublishers.ofString("{\"kind\":"));
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(uri()).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void servesARenewedCertificateWithoutRestart() throws Exception {
    X509Certificate before = peerCertificate();
    TestPki.Issued renewed = ServingFiles.forLoopback(PKI);
    ServingFiles.write(dir, renewed);

    X509Certificate after = peerCertificate();

    assertThat(after).isEqualTo(renewed.certificate()).isNotEqualTo(before);
    assertThat(keys.certificate()).isEqualTo(renewed.certificate());
  }

  @Test
  void keepsServingWhenTheNewFilesAreBroken() throws Exception {
    X509Certificate before = peerCertificate();
    java.nio.file.Files.writeString(dir.resolve("tls.key"), "half-written");

    assertThat(peerCertificate()).isEqualTo(before);
  }

  private X509Certificate peerCertificate() throws Exception {
    // A new client per call: a pooled connection would skip the handshake.
    HttpClient fresh =
        HttpClient.newBuilder().sslContext(ServingFiles.trusting(PKI.caPem())).build();
    HttpResponse<String> response =
        fresh.send(
            HttpRequest.newBuilder(uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private AdmissionReview post(AdmissionReview review) throws Exception {
    HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofString(JSON.asJson(review)));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.unmarshal(response.body(), AdmissionReview.class);
  }

  private HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri()).header("Content-Type", "application/json").POST(body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri() {
    return URI.create("https://127.0.0.1:" + server.port() + AdmissionWebhookServer.PATH);
  }

  private static AdmissionReview review(String operation, String name) {
    return new AdmissionReviewBuilder()
        .withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview")
        .withRequest(
            new AdmissionRequestBuilder()
                .withUid("uid-42")
                .withKind(
                    new GroupVersionKind(Repository.GROUP, Repository.KIND, Repository.VERSION))
                .withOperation(operation)
                .withNamespace("kanister")
                .withName(name)
                .withObject(Repositories.repository("kanister", name, null))
                .build())
        .build();
  }
}
