package io.kanister.kopia.core.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.kanister.kopia.core.digest.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kopia manifest list --json} prints: every manifest of the repository. Manifests are
 * immutable, so the set of ids of one type changes whenever anyone writes or deletes a manifest of
 * that type; {@link #digest} turns that set into one value to compare with an earlier listing.
 */
public record ManifestList(List<ManifestEntry> entries) {
  public static final String POLICY = "policy";
  public static final String USER = "user";
  public static final String MAINTENANCE = "maintenance";

  public ManifestList {
    entries = List.copyOf(entries);
  }

  public static ManifestList parse(String json) {
    JsonNode root = JsonFields.readTree(json, "manifest list");
    if (!root.isArray()) {
      throw new KopiaOutputException("manifest list: expected a JSON array");
    }
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonFields item = JsonFields.of(root.get(i), "manifest list[" + i + "]");
      Map<String, String> labels = new LinkedHashMap<>();
      item.optionalObject("labels")
          .ifPresent(l -> l.fieldNames().forEach(name -> labels.put(name, l.text(name))));
      entries.add(
          new ManifestEntry(
              item.text("id"),
              labels,
              item.instant("mtime"),
              item.optionalLong("length").orElse(0)));
    }
    return new ManifestList(entries);
  }

  /** The manifests whose {@code type} label is {@code type}. */
  public List<ManifestEntry> ofType(String type) {
    return entries.stream().filter(e -> e.type().filter(type::equals).isPresent()).toList();
  }

  /**
   * A SHA-256 of the sorted ids of the manifests of {@code type}: equal for two listings exactly
   * when nobody wrote or deleted a manifest of that type in between (or both listings are empty).
   */
  public String digest(String type) {
    return Sha256.hex(ofType(type).stream().map(ManifestEntry::id).sorted().toArray(String[]::new));
  }
}
