package io.kanister.kopia.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {

  @Test
  void parsesCreateOutputWithoutStats() {
    List<SnapshotManifest> manifests =
        SnapshotManifest.parseCreateOutput(CapturedOutput.read("snapshot-create.jsonl"));

    assertThat(manifests).hasSize(1);
    SnapshotManifest manifest = manifests.get(0);
    assertThat(manifest.id()).isEqualTo("ad0af721cdc8c9813d1bf01cac519e66");
    assertThat(manifest.source().host()).isEqualTo("vm");
    assertThat(manifest.source().userName()).isEqualTo("root");
    assertThat(manifest.source().path()).isEqualTo("/tmp/capw.bhg2/data");
    assertThat(manifest.description()).isEmpty();
    assertThat(manifest.startTime()).isEqualTo(Instant.parse("2026-11-28T03:25:02.235132346Z"));
    assertThat(manifest.endTime()).isEqualTo(Instant.parse("2026-11-28T03:25:02.238622876Z"));
    assertThat(manifest.stats()).isEmpty();
    assertThat(manifest.incomplete()).isFalse();
    assertThat(manifest.retentionReasons()).isEmpty();
    assertThat(manifest.rootEntry().name()).isEqualTo("data");
    assertThat(manifest.rootEntry().type()).isEqualTo("d");
    assertThat(manifest.rootEntry().objectId()).isEqualTo("k48446569dfb1425c0785b2d0ef00e380");
    assertThat(manifest.rootEntry().summary())
        .hasValueSatisfying(
            summary -> {
              assertThat(summary.size()).isEqualTo(8);
              assertThat(summary.files()).isEqualTo(2);
              assertThat(summary.dirs()).isEqualTo(2);
              assertThat(summary.numFailed()).isZero();
              assertThat(summary.errors()).isEmpty();
              assertThat(summary.maxTime())
                  .contains(Instant.parse("2026-11-28T03:25:00.682061651Z"));
            });
  }

  @Test
  void parsesOneManifestPerCreateOutputLine() {
    List<SnapshotManifest> manifests =
        SnapshotManifest.parseCreateOutput(CapturedOutput.read("snapshot-create-two-lines.jsonl"));

    assertThat(manifests)
        .extracting(SnapshotManifest::id)
        .containsExactly("ad0af721cdc8c9813d1bf01cac519e66", "2b7cd9562ab4e956b6716c7f14e22593");
  }

  @Test
  void emptyCreateOutputHasNoManifests() {
    assertThat(SnapshotManifest.parseCreateOutput("")).isEmpty();
  }

  @Test
  void parsesListOutputWithStatsAndRetentionReasons() {
    List<SnapshotManifest> manifests =
        SnapshotManifest.parseListOutput(CapturedOutput.read("snapshot-list.json"));

    assertThat(manifests).hasSize(2);
    assertThat(manifests.get(0).retentionReasons()).containsExactly("latest-2");
    SnapshotManifest latest = manifests.get(1);
    assertThat(latest.retentionReasons())
        .containsExactly("latest-1", "hourly-1", "daily-1", "weekly-1", "monthly-1", "annual-1");
    assertThat(latest.rootEntry().objectId()).isEqualTo("ke670b3bb2a132522ec40e5e0f6e410c3");
    assertThat(latest.stats())
        .hasValueSatisfying(
            stats -> {
              assertThat(stats.totalSize()).isEqualTo(13);
              assertThat(stats.fileCount()).isEqualTo(1);
              assertThat(stats.cachedFiles()).isEqualTo(2);
              assertThat(stats.nonCachedFiles()).isEqualTo(1);
              assertThat(stats.dirCount()).isEqualTo(2);
              assertThat(stats.errorCount()).isZero();
            });
  }

  @Test
  void parsesEmptyList() {
    assertThat(SnapshotManifest.parseListOutput(CapturedOutput.read("snapshot-list-empty.json")))
        .isEmpty();
  }

  @Test
  void readsIncompleteReasonTagsAndEntryErrors() {
    String line =
        "{\"id\":\"m1\",\"source\":{\"host\":\"h\",\"userName\":\"u\",\"path\":\"/p\"},"
            + "\"startTime\":\"2026-01-01T00:00:00Z\",\"endTime\":\"2026-01-01T00:00:01Z\","
            + "\"incomplete\":\"checkpoint\",\"tags\":{\"tag:env\":\"prod\"},\"futureField\":1,"
            + "\"rootEntry\":{\"name\":\"p\",\"type\":\"d\",\"obj\":\"kabc\",\"summ\":{\"size\":1,"
            + "\"errors\":[{\"path\":\"a/b\",\"error\":\"permission denied\"}],\"numFailed\":1}}}";

    SnapshotManifest manifest = SnapshotManifest.parseCreateOutput(line).get(0);

    assertThat(manifest.incomplete()).isTrue();
    assertThat(manifest.incompleteReason()).contains("checkpoint");
    assertThat(manifest.tags()).containsEntry("tag:env", "prod");
    assertThat(manifest.rootEntry().summary().orElseThrow().errors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.path()).isEqualTo("a/b");
              assertThat(error.error()).isEqualTo("permission denied");
            });
  }

  @Test
  void listOutputMustBeAnArray() {
    assertThatThrownBy(
            () -> SnapshotManifest.parseListOutput(CapturedOutput.read("snapshot-create.jsonl")))
        .isInstanceOf(KopiaOutputException.class)
        .hasMessageContaining("array");
  }
}
