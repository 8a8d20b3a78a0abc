package io.kanister.kopia.core.storage;

import java.util.Locale;
import java.util.Optional;

/** An S3 endpoint split into the scheme a user may have typed and the host:port Kopia takes. */
record S3Endpoint(String scheme, Optional<String> hostPort) {
  private static final S3Endpoint DEFAULT = new S3Endpoint("", Optional.empty());

  static S3Endpoint parse(Optional<String> endpoint) {
    return endpoint.map(S3Endpoint::parse).orElse(DEFAULT);
  }

  static S3Endpoint parse(String endpoint) {
    String trimmed = endpoint.trim();
    String scheme = "";
    int separator = trimmed.indexOf("://");
    if (separator >= 0) {
      scheme = trimmed.substring(0, separator).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "s3 storage endpoint scheme must be http:// or https://");
      }
      trimmed = trimmed.substring(separator + 3);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    // The value is not echoed: a URL with user info would put a credential in the message.
    if (trimmed.isEmpty() || trimmed.contains("/") || trimmed.contains("@")) {
      throw new IllegalArgumentException(
          "s3 storage endpoint must be host[:port], optionally prefixed by http:// or https://,"
              + " without path or user info");
    }
    return new S3Endpoint(scheme, Optional.of(trimmed));
  }
}
