package io.kanister.kopia.model.repository;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * docs/crd-reference.md as generated from the CRD's openAPIV3Schema: one row per field, with its
 * type, whether it is required, its description and every bound the API server enforces.
 */
final class CrdReference {
  private CrdReference() {}

  static String markdown(CustomResourceDefinition crd) {
    var version = crd.getSpec().getVersions().get(0);
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    StringBuilder out = new StringBuilder();
    out.append("# Repository CRD reference\n\n")
        .append("Generated from the schema of `")
        .append(crd.getMetadata().getName())
        .append("` (")
        .append(crd.getSpec().getGroup())
        .append("/")
        .append(version.getName())
        .append(") by `CrdReferenceTest`; do not edit. The field descriptions come from the Java")
        .append(" types in repository-model. Short names: ")
        .append(String.join(", ", crd.getSpec().getNames().getShortNames()))
        .append(".\n");
    for (String section : List.of("spec", "status")) {
      out.append("\n## ").append(section).append("\n\n");
      JSONSchemaProps props = root.getProperties().get(section);
      if (props.getDescription() != null) {
        out.append(oneLine(props.getDescription())).append("\n\n");
      }
      rules(props).forEach(rule -> out.append("- Rule: ").append(rule).append("\n"));
      if (!rules(props).isEmpty()) {
        out.append("\n");
      }
      out.append("| field | type | required | description | constraints |\n");
      out.append("| --- | --- | --- | --- | --- |\n");
      fields(section, props, out);
    }
    out.append("\n## Printer columns\n\n| name | type | value |\n| --- | --- | --- |\n");
    version
        .getAdditionalPrinterColumns()
        .forEach(
            c ->
                out.append("| ")
                    .append(c.getName())
                    .append(" | ")
                    .append(c.getType())
                    .append(" | `")
                    .append(c.getJsonPath().replace("|", "\\|"))
                    .append("` |\n"));
    return out.toString();
  }

  private static void fields(String path, JSONSchemaProps props, StringBuilder out) {
    Map<String, JSONSchemaProps> children =
        new TreeMap<>(props.getProperties() == null ? Map.of() : props.getProperties());
    Set<String> required =
        Set.copyOf(props.getRequired() == null ? List.of() : props.getRequired());
    for (var child : children.entrySet()) {
      String childPath = path + "." + child.getKey();
      JSONSchemaProps schema = child.getValue();
      out.append("| `")
          .append(childPath)
          .append("` | ")
          .append(type(schema))
          .append(" | ")
          .append(required.contains(child.getKey()) ? "yes" : "")
          .append(" | ")
          .append(cell(schema.getDescription()))
          .append(" | ")
          .append(cell(String.join("; ", constraints(schema))))
          .append(" |\n");
      JSONSchemaProps nested = schema;
      String nestedPath = childPath;
      if ("array".equals(schema.getType()) && schema.getItems() != null) {
        nested = schema.getItems().getSchema();
        nestedPath = childPath + "[]";
      }
      if (nested != null && nested.getProperties() != null) {
        fields(nestedPath, nested, out);
      }
    }
  }

  private static String type(JSONSchemaProps schema) {
    String type = schema.getType() == null ? "any" : schema.getType();
    if ("array".equals(type)
        && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      return "array of " + type(schema.getItems().getSchema());
    }
    if ("object".equals(type)
        && schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      return "map of " + type(schema.getAdditionalProperties().getSchema());
    }
    return type;
  }

  private static List<String> constraints(JSONSchemaProps schema) {
    List<String> all = new ArrayList<>();
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      all.add(
          "one of " + String.join(", ", schema.getEnum().stream().map(e -> e.asText()).toList()));
    }
    if (schema.getMinimum() != null) {
      all.add("minimum " + number(schema.getMinimum()));
    }
    if (schema.getMaximum() != null) {
      all.add("maximum " + number(schema.getMaximum()));
    }
    if (schema.getMinLength() != null) {
      all.add("minLength " + schema.getMinLength());
    }
    if (schema.getMaxLength() != null) {
      all.add("maxLength " + schema.getMaxLength());
    }
    if (schema.getMaxItems() != null) {
      all.add("maxItems " + schema.getMaxItems());
    }
    if (schema.getPattern() != null) {
      all.add("pattern `" + schema.getPattern() + "`");
    }
    all.addAll(rules(schema));
    return all;
  }

  private static List<String> rules(JSONSchemaProps schema) {
    List<ValidationRule> rules = schema.getXKubernetesValidations();
    return rules == null
        ? List.of()
        : rules.stream()
            .map(r -> oneLine(r.getMessage() == null ? r.getRule() : r.getMessage()))
            .toList();
  }

  private static String number(Double value) {
    // Exact: the int64 bounds are powers of two a double holds exactly.
    return value == Math.rint(value)
        ? new java.math.BigDecimal(value).toPlainString()
        : value.toString();
  }

  private static String cell(String text) {
    return text == null ? "" : oneLine(text).replace("|", "\\|");
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }
}
