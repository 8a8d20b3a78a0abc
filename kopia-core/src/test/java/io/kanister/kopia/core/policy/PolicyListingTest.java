package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyListingTest {
  // As kopia 0.23.1 prints it after `policy set mover@db:/foreign --max-parallel-file-reads=0`.
  private static final String LIST =
      "[\n"
          + " {\"id\":\"a1\",\"target\":{\"host\":\"db\",\"userName\":\"alice\",\"path\":\"/data\"},"
          + "\"retention\":{\"keepDaily\":14},\"upload\":{}},\n"
          + " {\"id\":\"f1\",\"target\":{\"host\":\"db\",\"userName\":\"mover\",\"path\":\"/foreign\"},"
          + "\"retention\":{},\"upload\":{\"maxParallelFileReads\":0}},\n"
          + " {\"id\":\"c1\",\"target\":{\"host\":\"db\",\"userName\":\"carol\",\"path\":\"\"},"
          + "\"compression\":{\"compressorName\":\"brand-new-codec\"}}\n"
          + "]";

  @Test
  void aPolicyTheModelRejectsIsListedApartAndTheRestIsRead() {
    PolicyListing listing = PolicyListing.parse(LIST);

    assertThat(listing.readable())
        .extracting(p -> p.target().text())
        .containsExactly("alice@db:/data");
    assertThat(listing.definedFor(PolicyTarget.parse("alice@db:/data")).retention().keepDaily())
        .contains(14);
    assertThat(listing.unreadable())
        .extracting(PolicyListing.Unreadable::target)
        .containsExactly("mover@db:/foreign", "carol@db");
    assertThat(listing.unreadable(PolicyTarget.parse("mover@db:/foreign")).orElseThrow().reason())
        .contains("maxParallelFileReads");
    assertThat(listing.defines(PolicyTarget.parse("mover@db:/foreign"))).isTrue();
    assertThat(listing.defines(PolicyTarget.parse("nobody@db"))).isFalse();
    assertThat(listing.definedFor(PolicyTarget.parse("mover@db:/foreign")))
        .isEqualTo(Policy.empty());
  }

  @Test
  void anEmptyListDefinesNothing() {
    assertThat(PolicyListing.parse("[\n]").readable()).isEmpty();
  }
}
