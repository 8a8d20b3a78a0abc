package io.kanister.kopia.model.secret;

import io.kanister.kopia.model.validation.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A Secret's decoded data, with where it came from. Built from raw bytes or from a fabric8 {@code
 * Secret}, whose {@code data} is base64 and whose {@code stringData} (as in a manifest) wins over
 * {@code data} for the same key, as the API server does.
 */
public final class SecretData {
  // Line-wrapped base64 is common in hand-written manifests; anything else non-base64 is an error.
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final SecretRef ref;
  private final Optional<String> type;
  private final Map<String, byte[]> values;
  private final Map<String, Problem> decodingProblems;

  private SecretData(
      SecretRef ref,
      Optional<String> type,
      Map<String, byte[]> values,
      Map<String, Problem> decodingProblems) {
    this.ref = ref;
    this.type = type.filter(t -> !t.isBlank());
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.decodingProblems = Collections.unmodifiableMap(new TreeMap<>(decodingProblems));
  }

  public static SecretData of(SecretRef ref, String type, Map<String, byte[]> values) {
    return new SecretData(ref, Optional.ofNullable(type), values, Map.of());
  }

  public static SecretData of(io.fabric8.kubernetes.api.model.Secret secret) {
    var metadata = secret.getMetadata();
    SecretRef ref =
        new SecretRef(
            metadata == null || metadata.getNamespace() == null ? "" : metadata.getNamespace(),
            metadata == null || metadata.getName() == null ? "" : metadata.getName());
    Map<String, byte[]> values = new TreeMap<>();
    Map<String, Problem> problems = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (key, encoded) -> {
                try {
                  values.put(
                      key,
                      Base64.getDecoder()
                          .decode(
                              WHITESPACE.matcher(encoded == null ? "" : encoded).replaceAll("")));
                } catch (IllegalArgumentException e) {
                  problems.put(
                      key,
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
    problems.keySet().removeAll(values.keySet());
    return new SecretData(ref, Optional.ofNullable(secret.getType()), values, problems);
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

  /** Keys whose {@code data} value was not base64, so {@link #keys()} does not list them. */
  public List<String> undecodableKeys() {
    return List.copyOf(decodingProblems.keySet());
  }

  /** The same Secret reduced to one key, to judge that key on its own. */
  public SecretData only(String key) {
    Map<String, byte[]> value = values.containsKey(key) ? Map.of(key, values.get(key)) : Map.of();
    Map<String, Problem> problem =
        decodingProblems.containsKey(key) ? Map.of(key, decodingProblems.get(key)) : Map.of();
    return new SecretData(ref, type, value, problem);
  }

  /** Why undecodable keys were dropped; a parser reports them first. */
  List<Problem> decodingProblems() {
    return List.copyOf(decodingProblems.values());
  }

  @Override
  public String toString() {
    return ref + " keys " + values.keySet();
  }
}
