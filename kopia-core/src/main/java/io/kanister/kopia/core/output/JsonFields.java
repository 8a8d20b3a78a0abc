package io.kanister.kopia.core.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Typed, tolerant access to the fields of one Kopia JSON object.
 *
 * <p>Fields are read from a tree rather than bound to classes so that unknown and renamed-away
 * fields never break parsing, and so that Go's encodings (RFC 3339 timestamps, durations in
 * nanoseconds, omitempty zero values) are converted in one place.
 */
final class JsonFields {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode node;
  private final String where;

  private JsonFields(JsonNode node, String where) {
    this.node = node;
    this.where = where;
  }

  static JsonNode readTree(String json, String what) {
    if (json == null || json.isBlank()) {
      throw new KopiaOutputException("empty " + what + " output");
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // The message of a Jackson error quotes the input; keep only the location.
      throw new KopiaOutputException(
          "malformed " + what + " JSON at " + e.getLocation().offsetDescription());
    }
  }

  static JsonFields of(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new KopiaOutputException(where + ": expected a JSON object");
    }
    return new JsonFields(node, where);
  }

  JsonFields object(String field) {
    return of(node.get(field), where + "." + field);
  }

  Optional<JsonFields> optionalObject(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      return Optional.empty();
    }
    return Optional.of(of(child, where + "." + field));
  }

  List<JsonFields> objectList(String field) {
    JsonNode child = node.get(field);
    List<JsonFields> items = new ArrayList<>();
    if (child == null || child.isNull()) {
      return items;
    }
    if (!child.isArray()) {
      throw new KopiaOutputException(where + "." + field + ": expected a JSON array");
    }
    for (int i = 0; i < child.size(); i++) {
      items.add(of(child.get(i), where + "." + field + "[" + i + "]"));
    }
    return items;
  }

  List<String> textList(String field) {
    JsonNode child = node.get(field);
    List<String> items = new ArrayList<>();
    if (child == null || child.isNull()) {
      return items;
    }
    if (!child.isArray()) {
      throw new KopiaOutputException(where + "." + field + ": expected a JSON array");
    }
    child.forEach(item -> items.add(item.asText()));
    return items;
  }

  Iterable<String> fieldNames() {
    return node::fieldNames;
  }

  String text(String field) {
    return optionalText(field)
        .orElseThrow(() -> new KopiaOutputException(where + "." + field + " is missing"));
  }

  /** Go omits empty strings with omitempty, and prints them otherwise: both mean "none". */
  Optional<String> optionalText(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull() || !child.isValueNode()) {
      return Optional.empty();
    }
    String value = child.asText();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  boolean bool(String field) {
    JsonNode child = node.get(field);
    return child != null && child.asBoolean(false);
  }

  long longValue(String field) {
    return optionalLong(field).orElse(0L);
  }

  OptionalLong optionalLong(String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      return OptionalLong.empty();
    }
    if (!child.canConvertToLong()) {
      throw new KopiaOutputException(where + "." + field + ": expected an integer");
    }
    return OptionalLong.of(child.asLong());
  }

  OptionalInt optionalInt(String field) {
    OptionalLong value = optionalLong(field);
    return value.isPresent()
        ? OptionalInt.of(Math.toIntExact(value.getAsLong()))
        : OptionalInt.empty();
  }

  Instant instant(String field) {
    return optionalInstant(field)
        .orElseThrow(() -> new KopiaOutputException(where + "." + field + " is missing"));
  }

  Optional<Instant> optionalInstant(String field) {
    Optional<String> value = optionalText(field);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.get()));
    } catch (DateTimeParseException e) {
      throw new KopiaOutputException(where + "." + field + ": not an RFC 3339 timestamp", e);
    }
  }

  /** Go's time.Duration is marshalled as integer nanoseconds. */
  Duration nanosDuration(String field) {
    return Duration.ofNanos(longValue(field));
  }
}
