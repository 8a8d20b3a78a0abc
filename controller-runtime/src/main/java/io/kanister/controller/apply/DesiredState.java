package io.kanister.controller.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Decides whether a live object already is what a controller wants, without being fooled by what
 * the API server adds: every field the desired object sets must be present and equal in the live
 * one; fields only the live object has (defaults, status, server metadata) are ignored.
 */
public final class DesiredState {
  private DesiredState() {}

  public static boolean isSatisfiedBy(HasMetadata desired, HasMetadata actual) {
    JsonNode want = Serialization.jsonMapper().valueToTree(desired);
    JsonNode have = Serialization.jsonMapper().valueToTree(actual);
    for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("status")) {
        continue;
      }
      JsonNode actualValue = have.get(name);
      boolean matches =
          name.equals("metadata")
              ? metadataMatches(field.getValue(), actualValue)
              : contains(field.getValue(), actualValue);
      if (!matches) {
        return false;
      }
    }
    return true;
  }

  /** Only what a controller sets on metadata counts: labels, annotations, owner references. */
  private static boolean metadataMatches(JsonNode want, JsonNode have) {
    for (String field : new String[] {"labels", "annotations", "ownerReferences"}) {
      JsonNode wanted = want.get(field);
      if (wanted != null
          && !wanted.isNull()
          && !contains(wanted, have == null ? null : have.get(field))) {
        return false;
      }
    }
    return true;
  }

  static boolean contains(JsonNode want, JsonNode have) {
    if (want == null || want.isNull()) {
      return true;
    }
    if (have == null || have.isNull()) {
      return isEmpty(want) || isZeroValue(want);
    }
    if (want.isObject()) {
      if (!have.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!contains(field.getValue(), have.get(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!contains(want.get(i), have.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) {
      return want.decimalValue().compareTo(have.decimalValue()) == 0;
    }
    if (want.isTextual() && have.isTextual() && !want.equals(have)) {
      return sameQuantity(want.asText(), have.asText());
    }
    return want.equals(have);
  }

  /**
   * The API server leaves out Go zero values of non-pointer fields ({@code readOnly: false}, {@code
   * value: ""}), so a desired zero value matches absence.
   */
  private static boolean isZeroValue(JsonNode node) {
    return (node.isTextual() && node.asText().isEmpty())
        || (node.isBoolean() && !node.asBoolean())
        || (node.isNumber() && node.decimalValue().signum() == 0);
  }

  /** The API server stores quantities in canonical form: {@code 0.5} comes back as {@code 500m}. */
  private static boolean sameQuantity(String want, String have) {
    if (!QUANTITY.matcher(want).matches() || !QUANTITY.matcher(have).matches()) {
      return false;
    }
    try {
      return Quantity.getAmountInBytes(new Quantity(want))
              .compareTo(Quantity.getAmountInBytes(new Quantity(have)))
          == 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static final java.util.regex.Pattern QUANTITY =
      java.util.regex.Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+|[a-zA-Z]{1,2})?");

  /** The API server drops empty objects and lists, so an empty desired value matches absence. */
  private static boolean isEmpty(JsonNode node) {
    return (node.isObject() || node.isArray()) && node.isEmpty();
  }
}
