package io.kanister.kopia.core.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few ASN.1 DER encodings an X.509 v3 certificate needs (X.690 §8, §10). The JDK parses
 * certificates but has no public builder, and a crypto library in the operator for one certificate
 * would be a large dependency for a few dozen lines.
 */
final class Der {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private static final DateTimeFormatter UTC_TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private Der() {}

  /** Tag, definite length (short form below 128, long form above), contents. */
  static byte[] tlv(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
    out.write(tag);
    int length = contents.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... elements) {
    return tlv(SEQUENCE, concat(elements));
  }

  static byte[] set(byte[]... elements) {
    return tlv(SET, concat(elements));
  }

  /** Two's complement, minimal length: what {@link BigInteger#toByteArray()} gives. */
  static byte[] integer(BigInteger value) {
    return tlv(INTEGER, value.toByteArray());
  }

  static byte[] bool(boolean value) {
    return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0x00)});
  }

  static byte[] octetString(byte[] value) {
    return tlv(OCTET_STRING, value);
  }

  /** A BIT STRING whose last {@code unusedBits} bits are padding. */
  static byte[] bitString(int unusedBits, byte[] value) {
    byte[] contents = new byte[value.length + 1];
    contents[0] = (byte) unusedBits;
    System.arraycopy(value, 0, contents, 1, value.length);
    return tlv(BIT_STRING, contents);
  }

  static byte[] utf8String(String value) {
    return tlv(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Dotted form to DER: first two arcs in one byte, the others base 128 with continuation bits. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      writeBase128(out, Long.parseLong(arcs[i]));
    }
    return tlv(OBJECT_IDENTIFIER, out.toByteArray());
  }

  /**
   * RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both in whole seconds UTC.
   */
  static byte[] time(Instant instant) {
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
    boolean utcTime = utc.getYear() >= 1950 && utc.getYear() < 2050;
    String text = (utcTime ? UTC_TIME_FORMAT : GENERALIZED_TIME_FORMAT).format(utc);
    return tlv(utcTime ? UTC_TIME : GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
  }

  /** A constructed context-specific tag ({@code [n] EXPLICIT}). */
  static byte[] explicit(int number, byte[] inner) {
    return tlv(0xa0 | number, inner);
  }

  /** A primitive context-specific tag ({@code [n] IMPLICIT} of a string type). */
  static byte[] implicit(int number, byte[] contents) {
    return tlv(0x80 | number, contents);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void writeBase128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? group : group | 0x80);
    }
  }
}
