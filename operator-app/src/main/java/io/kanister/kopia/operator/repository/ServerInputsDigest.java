package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.kopia.core.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The restart key of a Kopia server: a digest of the values it is started from (image, port, its
 * {@code repo.config}, and every key of the location, admin and TLS Secrets), so that an edit that
 * changes no value (a label, an annotation, a re-apply) never restarts it, and every rotation does.
 *
 * <p>The digest sits in a pod-template annotation that anyone who may read Deployments sees. A
 * plain hash of a low-entropy value (a short password) could be guessed offline, so it is an HMAC
 * keyed with the TLS private key: high-entropy, and whoever holds it already holds the server's
 * identity. 64 bits of it are kept, enough to tell two inputs apart, far too few to carry a value.
 */
final class ServerInputsDigest {
  private ServerInputsDigest() {}

  static String of(String image, int port, String repoConfig, RepositoryInputs inputs) {
    List<String> parts = new ArrayList<>();
    parts.add("image=" + image);
    parts.add("port=" + port);
    parts.add("config=" + repoConfig);
    addSecret(parts, "location", inputs.locationSecret());
    addSecret(parts, "tls", inputs.tlsSecret());
    inputs
        .adminSecret()
        .or(inputs::generatedAdminSecret)
        .ifPresent(a -> addSecret(parts, "admin", a));
    byte[] key = inputs.tls().privateKeyPem().reveal().getBytes(StandardCharsets.UTF_8);
    return Sha256.hmacHex(key, parts.toArray(String[]::new)).substring(0, 16);
  }

  /** Every key and value, sorted, as the API server would store them ({@code stringData} wins). */
  private static void addSecret(List<String> parts, String role, Secret secret) {
    Map<String, String> values = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      k,
                      new String(
                          Base64.getDecoder().decode(v == null ? "" : v),
                          StandardCharsets.ISO_8859_1)));
    }
    if (secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach(
              (k, v) ->
                  values.put(
                      k,
                      new String(
                          (v == null ? "" : v).getBytes(StandardCharsets.UTF_8),
                          StandardCharsets.ISO_8859_1)));
    }
    parts.add(role + "=" + secret.getMetadata().getName() + "#" + values.size());
    values.forEach((k, v) -> parts.add(k + "=" + v));
  }
}
