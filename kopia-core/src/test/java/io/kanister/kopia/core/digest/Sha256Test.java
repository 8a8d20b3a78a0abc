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

  @Test
  void hmacHexIsRfc4231AndDependsOnTheKey() throws Exception {
    // RFC 4231 test case 2 ("Jefe"), with the part's trailing NUL removed from the message.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("Jefe".getBytes(), "HmacSHA256"));
    String expected =
        HexFormat.of().formatHex(mac.doFinal("what do ya want for nothing?\0".getBytes()));
    assertThat(Sha256.hmacHex("Jefe".getBytes(), "what do ya want for nothing?"))
        .isEqualTo(expected);
    assertThat(Sha256.hmacHex("other".getBytes(), "what do ya want for nothing?"))
        .isNotEqualTo(expected)
        .isNotEqualTo(Sha256.hex("what do ya want for nothing?"));
  }
}
