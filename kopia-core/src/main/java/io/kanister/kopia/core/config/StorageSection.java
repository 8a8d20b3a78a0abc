package io.kanister.kopia.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.AzureLocation;
import io.kanister.kopia.core.storage.B2Location;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code storage: {type, config}} section of repo.config. Field names and order follow the json
 * tags of Kopia's provider {@code Options} structs (checked against the tags embedded in the
 * v0.23.1 binary). Kopia stores the credentials here in clear text.
 */
final class StorageSection {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String DEFAULT_S3_ENDPOINT = "s3.amazonaws.com";

  private StorageSection() {}

  static ObjectNode render(StorageLocation location) {
    ObjectNode section = NODES.objectNode();
    section.put("type", location.storageType());
    section.set("config", renderConfig(location));
    return section;
  }

  private static ObjectNode renderConfig(StorageLocation location) {
    if (location instanceof FilesystemLocation fs) {
      return filesystem(fs);
    } else if (location instanceof S3Location s3) {
      return s3(s3);
    } else if (location instanceof GcsLocation gcs) {
      return gcs(gcs);
    } else if (location instanceof AzureLocation azure) {
      return azure(azure);
    } else if (location instanceof B2Location b2) {
      return b2(b2);
    }
    throw new IllegalArgumentException("unsupported storage location " + location.provider());
  }

  private static ObjectNode filesystem(FilesystemLocation fs) {
    ObjectNode config = NODES.objectNode();
    config.put("path", fs.path());
    // Kopia's CLI also writes "fileMode": 384, "dirMode": 448 and "dirShards": null; absent and
    // zero values mean the same defaults to the filesystem provider (verified with v0.23.1).
    fs.fileMode().ifPresent(mode -> config.put("fileMode", mode));
    fs.dirMode().ifPresent(mode -> config.put("dirMode", mode));
    fs.ownerUid().ifPresent(uid -> config.put("uid", uid));
    fs.ownerGid().ifPresent(gid -> config.put("gid", gid));
    return config;
  }

  private static ObjectNode s3(S3Location s3) {
    ObjectNode config = NODES.objectNode();
    config.put("bucket", s3.bucket());
    s3.prefix().ifPresent(p -> config.put("prefix", p));
    // Not omitempty in Kopia, and the CLI always fills in its default.
    config.put("endpoint", s3.endpointHostPort().orElse(DEFAULT_S3_ENDPOINT));
    if (s3.tlsDisabled()) {
      config.put("doNotUseTLS", true);
    }
    if (s3.disableTlsVerification()) {
      config.put("doNotVerifyTLS", true);
    }
    // rootCA is a Go []byte, which encoding/json writes as base64.
    s3.rootCaPemBase64().ifPresent(ca -> config.put("rootCA", ca));
    config.put("accessKeyID", s3.accessKeyId().reveal());
    config.put("secretAccessKey", s3.secretAccessKey().reveal());
    config.put("sessionToken", s3.sessionToken().map(SecretValue::reveal).orElse(""));
    s3.region().ifPresent(r -> config.put("region", r));
    return config;
  }

  private static ObjectNode gcs(GcsLocation gcs) {
    ObjectNode config = NODES.objectNode();
    config.put("bucket", gcs.bucket());
    gcs.prefix().ifPresent(p -> config.put("prefix", p));
    gcs.credentialsFile().ifPresent(f -> config.put("credentialsFile", f));
    // Kopia embeds the key as raw JSON (json.RawMessage), as with --embed-credentials.
    gcs.credentialsJson().ifPresent(json -> config.set("credentials", parseCredentials(json)));
    if (gcs.readOnly()) {
      config.put("readOnly", true);
    }
    return config;
  }

  private static JsonNode parseCredentials(SecretValue json) {
    try {
      return STRICT_JSON.readTree(json.reveal());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("gcs storage credentialsJson is not valid JSON");
    }
  }

  private static ObjectNode azure(AzureLocation azure) {
    // The v0.23.1 binary tags storageAccount, storageKey and sasToken omitempty (older sources
    // did not), so an unused credential is left out.
    ObjectNode config = NODES.objectNode();
    config.put("container", azure.container());
    azure.prefix().ifPresent(p -> config.put("prefix", p));
    config.put("storageAccount", azure.storageAccount());
    azure.storageKey().ifPresent(k -> config.put("storageKey", k.reveal()));
    azure.sasToken().ifPresent(t -> config.put("sasToken", t.reveal()));
    azure.storageDomain().ifPresent(d -> config.put("storageDomain", d));
    return config;
  }

  private static ObjectNode b2(B2Location b2) {
    ObjectNode config = NODES.objectNode();
    config.put("bucket", b2.bucket());
    b2.prefix().ifPresent(p -> config.put("prefix", p));
    config.put("keyID", b2.keyId().reveal());
    config.put("key", b2.key().reveal());
    return config;
  }

  static StorageLocation parse(JsonNode section) {
    String type = section.path("type").asText("");
    JsonNode config = section.path("config");
    switch (type) {
      case "filesystem":
        return parseFilesystem(config);
      case "s3":
        return parseS3(config);
      case "gcs":
        return parseGcs(config);
      case "azureBlob":
        return parseAzure(config);
      case "b2":
        return parseB2(config);
      default:
        throw new IllegalArgumentException(
            "unsupported storage type in repo.config: '" + type + "'");
    }
  }

  private static StorageLocation parseFilesystem(JsonNode config) {
    var builder = FilesystemLocation.builder().path(config.path("path").asText(""));
    // 0 is how Go leaves an unset mode or id, and what Kopia then treats as its default.
    intField(config, "fileMode").ifPresent(builder::fileMode);
    intField(config, "dirMode").ifPresent(builder::dirMode);
    intField(config, "uid").ifPresent(builder::ownerUid);
    intField(config, "gid").ifPresent(builder::ownerGid);
    return builder.build();
  }

  private static StorageLocation parseS3(JsonNode config) {
    var builder =
        S3Location.builder()
            .bucket(config.path("bucket").asText(""))
            .prefix(text(config, "prefix"))
            .endpoint(text(config, "endpoint"))
            .region(text(config, "region"))
            .disableTls(config.path("doNotUseTLS").asBoolean(false))
            .disableTlsVerification(config.path("doNotVerifyTLS").asBoolean(false))
            .accessKeyId(SecretValue.of(config.path("accessKeyID").asText("")))
            .secretAccessKey(SecretValue.of(config.path("secretAccessKey").asText("")))
            .sessionToken(text(config, "sessionToken").map(SecretValue::of));
    text(config, "rootCA")
        .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8))
        .ifPresent(builder::rootCaPem);
    return builder.build();
  }

  private static StorageLocation parseGcs(JsonNode config) {
    JsonNode credentials = config.path("credentials");
    return GcsLocation.builder()
        .bucket(config.path("bucket").asText(""))
        .prefix(text(config, "prefix"))
        .credentialsFile(text(config, "credentialsFile"))
        .credentialsJson(
            credentials.isMissingNode() || credentials.isNull()
                ? Optional.empty()
                : Optional.of(SecretValue.of(credentials.toString())))
        .readOnly(config.path("readOnly").asBoolean(false))
        .build();
  }

  private static StorageLocation parseAzure(JsonNode config) {
    return AzureLocation.builder()
        .container(config.path("container").asText(""))
        .prefix(text(config, "prefix"))
        .storageAccount(config.path("storageAccount").asText(""))
        .storageKey(text(config, "storageKey").map(SecretValue::of))
        .sasToken(text(config, "sasToken").map(SecretValue::of))
        .storageDomain(text(config, "storageDomain"))
        .build();
  }

  private static StorageLocation parseB2(JsonNode config) {
    return B2Location.builder()
        .bucket(config.path("bucket").asText(""))
        .prefix(text(config, "prefix"))
        .keyId(SecretValue.of(config.path("keyID").asText("")))
        .key(SecretValue.of(config.path("key").asText("")))
        .build();
  }

  /** A string field, treating absent, null and empty (Go's zero value) alike. */
  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty()
        ? Optional.of(value.asText())
        : Optional.empty();
  }

  private static Optional<Integer> intField(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.canConvertToInt() && value.asInt() != 0
        ? Optional.of(value.asInt())
        : Optional.empty();
  }
}
