package io.kanister.kopia.core.storage;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.kanister.kopia.core.secret.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An S3 (or S3-compatible, e.g. MinIO) bucket: {@code kopia repository ... s3}.
 *
 * <p>The endpoint may be given as {@code host:port} or as a URL: {@code http://} turns TLS off,
 * {@code https://} keeps it on, because Kopia's {@code --endpoint} takes no scheme.
 */
@Value.Immutable
public abstract non-sealed class S3Location implements StorageLocation {
  static final String PROVIDER = "s3";
  static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN_ENV = "AWS_SESSION_TOKEN";

  public abstract String bucket();

  /** Object name prefix; end it with {@code /} to use it as a directory. */
  public abstract Optional<String> prefix();

  /** {@code host[:port]} or {@code http(s)://host[:port][/]}; Kopia's default is AWS S3. */
  public abstract Optional<String> endpoint();

  public abstract Optional<String> region();

  /** Plain HTTP; also implied by an {@code http://} endpoint. */
  @Value.Default
  public boolean disableTls() {
    return false;
  }

  @Value.Default
  public boolean disableTlsVerification() {
    return false;
  }

  /** PEM of the CA that signed the endpoint's certificate, when it is not publicly trusted. */
  public abstract Optional<String> rootCaPem();

  public abstract SecretValue accessKeyId();

  public abstract SecretValue secretAccessKey();

  public abstract Optional<SecretValue> sessionToken();

  public static ImmutableS3Location.Builder builder() {
    return ImmutableS3Location.builder();
  }

  @Value.Check
  protected void check() {
    StorageValidation.requireText(PROVIDER, "bucket", bucket());
    StorageValidation.requireSingleLine(PROVIDER, "bucket", bucket());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "prefix", prefix());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "endpoint", endpoint());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "region", region());
    StorageValidation.requireNonBlankIfPresent(PROVIDER, "rootCaPem", rootCaPem());
    StorageValidation.requireSecret(PROVIDER, "accessKeyId", accessKeyId());
    StorageValidation.requireSecret(PROVIDER, "secretAccessKey", secretAccessKey());
    sessionToken().ifPresent(t -> StorageValidation.requireSecret(PROVIDER, "sessionToken", t));
    S3Endpoint parsed = S3Endpoint.parse(endpoint());
    if (parsed.scheme().equals("https") && disableTls()) {
      throw new IllegalArgumentException(
          "s3 storage endpoint uses https:// but disableTls is set; use http:// or drop one");
    }
  }

  /** The endpoint as Kopia wants it: no scheme, no trailing slash. */
  public Optional<String> endpointHostPort() {
    return S3Endpoint.parse(endpoint()).hostPort();
  }

  /** Whether TLS is off, explicitly or through an {@code http://} endpoint. */
  public boolean tlsDisabled() {
    return disableTls() || S3Endpoint.parse(endpoint()).scheme().equals("http");
  }

  /** {@link #rootCaPem()} base64-encoded, the form of {@code --root-ca-pem-base64}. */
  public Optional<String> rootCaPemBase64() {
    return rootCaPem()
        .map(pem -> Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public final String provider() {
    return PROVIDER;
  }

  @Override
  public final String storageType() {
    return "s3";
  }

  @Override
  public List<String> providerArgs() {
    ImmutableList.Builder<String> args = ImmutableList.builder();
    args.add(PROVIDER, "--bucket=" + bucket());
    prefix().ifPresent(p -> args.add("--prefix=" + p));
    endpointHostPort().ifPresent(e -> args.add("--endpoint=" + e));
    region().ifPresent(r -> args.add("--region=" + r));
    if (tlsDisabled()) {
      args.add("--disable-tls");
    }
    if (disableTlsVerification()) {
      args.add("--disable-tls-verification");
    }
    rootCaPemBase64().ifPresent(ca -> args.add("--root-ca-pem-base64=" + ca));
    return args.build();
  }

  @Override
  public Map<String, String> secretEnvironment() {
    ImmutableMap.Builder<String, String> env = ImmutableMap.builder();
    env.put(ACCESS_KEY_ENV, accessKeyId().reveal());
    env.put(SECRET_KEY_ENV, secretAccessKey().reveal());
    sessionToken().ifPresent(t -> env.put(SESSION_TOKEN_ENV, t.reveal()));
    return env.build();
  }

  @Override
  public String displayName() {
    return "s3://" + bucket() + "/" + prefix().orElse("");
  }
}
