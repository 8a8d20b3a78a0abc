package io.kanister.kopia.testsupport;

/**
 * A bucket on the in-JVM S3 server. {@code endpoint} is {@code http://127.0.0.1:<port>}; {@code
 * hostPort} is the same without the scheme, the form kopia's {@code --endpoint} takes.
 */
public record S3Bucket(
    String endpoint,
    String hostPort,
    String region,
    String bucket,
    String accessKey,
    String secretKey) {

  @Override
  public String toString() {
    return "S3Bucket[" + endpoint + "/" + bucket + "]"; // keys stay out of test logs
  }
}
