package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.kopia.model.secret.AdminSecretParser;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Server UI and control credentials for a Repository whose spec names no admin Secret. Generated
 * once, owned by the Repository, never rotated by the operator; users read it like their own.
 */
final class GeneratedAdminSecret {
  private static final SecureRandom RANDOM = new SecureRandom();

  private GeneratedAdminSecret() {}

  static String name(String serviceName) {
    return serviceName + "-admin";
  }

  static Secret of(String namespace, String serviceName, Map<String, String> labels) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(serviceName))
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withType("Opaque")
        .withStringData(
            Map.of(
                AdminSecretParser.USERNAME,
                AdminSecretParser.DEFAULT_USERNAME,
                AdminSecretParser.PASSWORD,
                randomPassword(),
                AdminSecretParser.CONTROL_USERNAME,
                AdminSecretParser.DEFAULT_CONTROL_USERNAME,
                AdminSecretParser.CONTROL_PASSWORD,
                randomPassword()))
        .build();
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
