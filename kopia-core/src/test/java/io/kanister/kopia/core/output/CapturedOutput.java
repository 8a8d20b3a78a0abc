package io.kanister.kopia.core.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads stdout captured from the real kopia v0.23.1 binary (see output/README.md). */
final class CapturedOutput {

  private CapturedOutput() {}

  static String read(String name) {
    try (InputStream in = CapturedOutput.class.getResourceAsStream("/output/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no captured output " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
