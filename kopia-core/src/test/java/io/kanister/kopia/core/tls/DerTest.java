package io.kanister.kopia.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;

/** Each encoding byte for byte against BouncyCastle's (test-only), at the edges that differ. */
class DerTest {
  @Test
  void objectIdentifiersWithLargeArcs() throws Exception {
    for (String oid :
        new String[] {
          "2.5.4.3", "1.2.840.10045.4.3.2", "1.3.6.1.5.5.7.3.1", "2.999.3", "1.2.16384"
        }) {
      assertThat(Der.oid(oid)).as(oid).isEqualTo(new ASN1ObjectIdentifier(oid).getEncoded("DER"));
    }
  }

  @Test
  void lengthsInShortAndLongForm() throws Exception {
    for (int size : new int[] {0, 1, 127, 128, 255, 256, 65535, 65536}) {
      byte[] value = new byte[size];
      assertThat(Der.octetString(value))
          .as("%d bytes", size)
          .isEqualTo(new DEROctetString(value).getEncoded("DER"));
    }
    String text = "ü".repeat(200);
    assertThat(Der.utf8String(text)).isEqualTo(new DERUTF8String(text).getEncoded("DER"));
  }

  @Test
  void integersStayPositive() throws Exception {
    for (BigInteger value :
        new BigInteger[] {
          BigInteger.ZERO, BigInteger.TWO, BigInteger.valueOf(128), BigInteger.ONE.shiftLeft(126)
        }) {
      assertThat(Der.integer(value)).isEqualTo(new ASN1Integer(value).getEncoded("DER"));
    }
  }

  @Test
  void timesSwitchToGeneralizedIn2050() throws Exception {
    Instant utc = Instant.parse("2049-12-31T23:59:59Z");
    Instant generalized = Instant.parse("2050-01-01T00:00:00Z");
    assertThat(Der.time(utc)).isEqualTo(new DERUTCTime(Date.from(utc)).getEncoded("DER"));
    assertThat(Der.time(generalized))
        .isEqualTo(new DERGeneralizedTime(Date.from(generalized)).getEncoded("DER"));
  }
}
