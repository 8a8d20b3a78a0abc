package io.kanister.kopia.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Reads and writes Kopia's {@code repo.config}, formatted like Kopia's {@code
 * json.MarshalIndent(lc, "", " ")} (two-space indent, {@code "key": value}, no trailing newline).
 *
 * <p>The file holds storage credentials in clear text, as Kopia's own does: it is written with mode
 * 0600.
 */
public final class RepositoryConfigFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectWriter GO_INDENT = JSON.writer(goStylePrinter());

  private RepositoryConfigFile() {}

  private static DefaultPrettyPrinter goStylePrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }

  public static String render(RepositoryConfig config) {
    ObjectNode root = JSON.createObjectNode();
    RepositoryConnection connection = config.connection();
    if (connection instanceof ApiServerConnection server) {
      root.set("apiServer", apiServer(server));
    } else if (connection instanceof DirectConnection direct) {
      root.set("storage", StorageSection.render(direct.storage()));
    }
    config.caching().ifPresent(caching -> root.set("caching", caching(caching)));
    putClientOptions(root, config.clientOptions());
    try {
      return GO_INDENT.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Writes atomically, creating the directory (0700) if needed; the file gets mode 0600. */
  public static void write(RepositoryConfig config, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        if (posix) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
      }
      Path temp =
          posix
              ? Files.createTempFile(
                  dir,
                  ".repo-config",
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(dir, ".repo-config", ".tmp");
      try {
        Files.writeString(temp, render(config), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Kopia config file " + file, e);
    }
  }

  public static RepositoryConfig read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kopia config file " + file, e);
    }
  }

  /** Parses a repo.config as Kopia writes it; unknown fields are ignored, as Kopia does. */
  public static RepositoryConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // Jackson quotes the input in its messages, and this input holds credentials.
      throw new IllegalArgumentException("repo.config is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("repo.config must be a JSON object");
    }
    var builder = RepositoryConfig.builder();
    if (root.hasNonNull("apiServer")) {
      builder.connection(parseApiServer(root.get("apiServer")));
    } else if (root.hasNonNull("storage")) {
      builder.connection(new DirectConnection(StorageSection.parse(root.get("storage"))));
    } else {
      throw new IllegalArgumentException("repo.config has neither 'storage' nor 'apiServer'");
    }
    if (root.hasNonNull("caching")) {
      builder.caching(parseCaching(root.get("caching")));
    }
    return builder.clientOptions(parseClientOptions(root)).build();
  }

  private static ObjectNode apiServer(ApiServerConnection server) {
    ObjectNode node = JSON.createObjectNode();
    node.put("url", server.url());
    node.put(
        "serverCertFingerprint",
        server.serverCertFingerprint().map(CertificateFingerprint::hex).orElse(""));
    server
        .localCacheKeyDerivationAlgorithm()
        .ifPresent(algorithm -> node.put("localCacheKeyDerivationAlgorithm", algorithm));
    return node;
  }

  private static ApiServerConnection parseApiServer(JsonNode node) {
    return new ApiServerConnection(
        node.path("url").asText(""),
        StorageSection.text(node, "serverCertFingerprint").map(CertificateFingerprint::parse),
        StorageSection.text(node, "localCacheKeyDerivationAlgorithm"));
  }

  private static ObjectNode caching(CachingOptions caching) {
    ObjectNode node = JSON.createObjectNode();
    caching.cacheDirectory().ifPresent(dir -> node.put("cacheDirectory", dir));
    caching.maxCacheSizeBytes().ifPresent(size -> node.put("maxCacheSize", size));
    caching.maxMetadataCacheSizeBytes().ifPresent(size -> node.put("maxMetadataCacheSize", size));
    caching
        .maxListCacheDurationSeconds()
        .ifPresent(seconds -> node.put("maxListCacheDuration", seconds));
    return node;
  }

  private static CachingOptions parseCaching(JsonNode node) {
    return CachingOptions.builder()
        .cacheDirectory(StorageSection.text(node, "cacheDirectory"))
        .maxCacheSizeBytes(longField(node, "maxCacheSize"))
        .maxMetadataCacheSizeBytes(longField(node, "maxMetadataCacheSize"))
        .maxListCacheDurationSeconds(longField(node, "maxListCacheDuration"))
        .build();
  }

  private static void putClientOptions(ObjectNode root, ClientOptions options) {
    root.put("hostname", options.hostname());
    root.put("username", options.username());
    if (options.readonly()) {
      root.put("readonly", true);
    }
    options.description().ifPresent(description -> root.put("description", description));
    root.put("enableActions", options.enableActions());
    long nanos = options.formatBlobCacheDuration().toNanos();
    if (nanos != 0) {
      root.put("formatBlobCacheDuration", nanos);
    }
  }

  private static ClientOptions parseClientOptions(JsonNode root) {
    var builder =
        ClientOptions.builder()
            .hostname(root.path("hostname").asText(""))
            .username(root.path("username").asText(""))
            .readonly(root.path("readonly").asBoolean(false))
            .description(StorageSection.text(root, "description"))
            .enableActions(root.path("enableActions").asBoolean(false));
    if (root.path("formatBlobCacheDuration").canConvertToLong()) {
      builder.formatBlobCacheDuration(
          Duration.ofNanos(root.path("formatBlobCacheDuration").asLong()));
    }
    return builder.build();
  }

  private static OptionalLong longField(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNumber() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
  }
}
