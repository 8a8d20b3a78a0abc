package io.kanister.kopia.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code manifest list --json} as kopia v0.23.1 prints it (captured from the real binary). */
class ManifestListTest {
  private static final String CAPTURED =
      """
      [
       {"id":"cdbe16103a59db699b362d0bd8b87633","length":683,"labels":{"policyType":"global","type":"policy"},"mtime":"2026-12-01T18:31:40.859829174Z"},
       {"id":"669fcd9d674ad898a4a4c99d35c802a0","length":248,"labels":{"type":"maintenance"},"mtime":"2026-12-01T18:31:40.859947755Z"},
       {"id":"a88d79f351a0116ca3bc5539e0fe06e4","length":150,"labels":{"type":"user","username":"bob@h"},"mtime":"2026-12-01T18:31:42.52335766Z"}
      ]
      """;

  @Test
  void parsesIdsLabelsAndTypes() {
    ManifestList list = ManifestList.parse(CAPTURED);
    assertThat(list.entries()).hasSize(3);
    assertThat(list.ofType(ManifestList.USER))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.id()).isEqualTo("a88d79f351a0116ca3bc5539e0fe06e4");
              assertThat(e.labels()).containsEntry("username", "bob@h");
              assertThat(e.length()).isEqualTo(150);
            });
    assertThat(list.ofType(ManifestList.POLICY)).hasSize(1);
    assertThat(list.ofType("snapshot")).isEmpty();
  }

  @Test
  void aDigestDependsOnTheIdsOfItsTypeOnlyAndNotOnTheirOrder() {
    ManifestList list = ManifestList.parse(CAPTURED);
    ManifestList reordered =
        new ManifestList(java.util.List.of(list.entries().get(2), list.entries().get(0)));
    assertThat(reordered.digest(ManifestList.USER)).isEqualTo(list.digest(ManifestList.USER));
    assertThat(reordered.digest(ManifestList.POLICY)).isEqualTo(list.digest(ManifestList.POLICY));
    assertThat(reordered.digest(ManifestList.MAINTENANCE))
        .isNotEqualTo(list.digest(ManifestList.MAINTENANCE));
    assertThat(ManifestList.parse("[\n]").entries()).isEmpty();
  }

  @Test
  void malformedOutputIsAnOutputError() {
    assertThatThrownBy(() -> ManifestList.parse("{}")).isInstanceOf(KopiaOutputException.class);
    assertThatThrownBy(() -> ManifestList.parse("")).isInstanceOf(KopiaOutputException.class);
  }
}
