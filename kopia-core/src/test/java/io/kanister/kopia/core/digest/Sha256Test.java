package io.kanister.kopia.core.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256Test {
  @Test
  void hexSeparatesThePartsSoTheirBoundariesCount() {
    assertThat(Sha256.hex("ab", "c")).isNotEqualTo(Sha256.hex("a", "bc")).hasSize(64);
  }

  @Test
  void hexOfOnePartIsTheDigestOfThePartAndANul() {
    // Names and label values already in clusters were derived this way; it must never change.
    assertThat(Sha256.hex("abc"))
        .isEqualTo(HexFormat.of().formatHex(Sha256.of("abc\0".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void ofReadsTheChunksInOrder() {
    assertThat(HexFormat.of().formatHex(Sha256.of("ab".getBytes(), "c".getBytes())))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
