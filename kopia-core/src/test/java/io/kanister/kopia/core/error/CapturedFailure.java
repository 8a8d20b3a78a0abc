package io.kanister.kopia.core.error;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Stderr and exit code of a failing command, captured from the real kopia v0.23.1 binary. */
record CapturedFailure(int exitCode, String stderr) {

  static CapturedFailure read(String name) {
    return new CapturedFailure(
        Integer.parseInt(resource(name + ".exit-code").strip()), resource(name + ".stderr"));
  }

  KopiaFailure classify() {
    return KopiaFailure.classify(exitCode, stderr);
  }

  private static String resource(String file) {
    try (InputStream in = CapturedFailure.class.getResourceAsStream("/output/errors/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no captured failure " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
