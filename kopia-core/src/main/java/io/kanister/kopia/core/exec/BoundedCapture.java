package io.kanister.kopia.core.exec;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps at most {@code limit} bytes of a stream and remembers whether more arrived. */
final class BoundedCapture extends OutputStream {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final int limit;
  private boolean truncated;

  BoundedCapture(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) {
    if (buffer.size() < limit) {
      buffer.write(b);
    } else {
      truncated = true;
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int room = Math.max(0, limit - buffer.size());
    buffer.write(bytes, offset, Math.min(room, length));
    if (length > room) {
      truncated = true;
    }
  }

  synchronized String text() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  synchronized boolean truncated() {
    return truncated;
  }
}
