package io.kanister.kopia.model.secret;

import io.kanister.kopia.model.validation.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Secret's decoded data, with where it came from. Built from raw bytes or from a fabric8 {@code
 * Secret}, whose {@code data} is base64 and whose {@code stringData} (as in a manifest) wins over
 * {@code data} for the same key, as the API server does.
 */
public final class SecretData {
  private final SecretRef ref;
  private final Optional<String> type;
  private final Map<String, byte[]> values;
  private final List<Problem> decodingProblems;

  private SecretData(
      SecretRef ref, String type, Map<String, byte[]> values, List<Problem> decodingProblems) {
    this.ref = ref;
    this.type = Optional.ofNullable(type).filter(t -> !t.isBlank());
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.decodingProblems = List.copyOf(decodingProblems);
  }

  public static SecretData of(SecretRef ref, String type, Map<String, byte[]> values) {
    return new SecretData(ref, type, values, List.of());
  }

  public static SecretData of(io.fabric8.kubernetes.api.model.Secret secret) {
    var metadata = secret.getMetadata();
    SecretRef ref =
        new SecretRef(
            metadata == null || metadata.getNamespace() == null ? "" : metadata.getNamespace(),
            metadata == null || metadata.getName() == null ? "" : metadata.getName());
    Map<String, byte[]> values = new TreeMap<>();
    List<Problem> problems = new ArrayList<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (key, encoded) -> {
                try {
                  values.put(
                      key, Base64.getMimeDecoder().decode(encoded == null ? "" : encoded.strip()));
                } catch (IllegalArgumentException e) {
                  problems.add(
                      new Problem(
                          ref.key(key),
                          "data values must be base64; put plain text under stringData instead"));
                }
              });
    }
    if (secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach(
              (key, text) ->
                  values.put(key, (text == null ? "" : text).getBytes(StandardCharsets.UTF_8)));
    }
    return new SecretData(ref, secret.getType(), values, problems);
  }

  public SecretRef ref() {
    return ref;
  }

  /** The Secret's {@code type}, e.g. {@code kubernetes.io/tls}; empty when not given. */
  public Optional<String> type() {
    return type;
  }

  /** The keys, sorted. */
  public List<String> keys() {
    return List.copyOf(values.keySet());
  }

  public Optional<byte[]> bytes(String key) {
    return Optional.ofNullable(values.get(key)).map(byte[]::clone);
  }

  /** Keys whose {@code data} value was not base64; a parser reports them first. */
  List<Problem> decodingProblems() {
    return decodingProblems;
  }

  @Override
  public String toString() {
    return ref + " keys " + values.keySet();
  }
}
