package io.kanister.kopia.core.output;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * What a Kopia server answers on {@code GET /api/v1/control/status}.
 *
 * <p>A server started without a usable repository answers {@code connected: false} and omits
 * everything but the client options, which are then empty.
 */
@Value.Immutable
public interface ServerControlStatus {

  boolean connected();

  Optional<String> configFile();

  OptionalInt formatVersion();

  Optional<String> hash();

  Optional<String> encryption();

  Optional<String> splitter();

  OptionalLong maxPackSize();

  /** The storage provider type, e.g. {@code filesystem} or {@code s3}. */
  Optional<String> storage();

  /** Set when the server itself is connected through another API server. */
  Optional<String> apiServerUrl();

  boolean supportsContentCompression();

  /** The hostname, username, readonly flag and description the server's repository runs as. */
  ClientOptions clientOptions();

  static ServerControlStatus parse(String json) {
    return ServerControlStatusParser.parse(json);
  }
}
