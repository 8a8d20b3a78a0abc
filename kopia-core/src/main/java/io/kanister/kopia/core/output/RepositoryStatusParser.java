package io.kanister.kopia.core.output;

/** Reads the single JSON object printed by {@code kopia repository status --json}. */
final class RepositoryStatusParser {

  private RepositoryStatusParser() {}

  static RepositoryStatus parse(String json) {
    JsonFields status = JsonFields.of(JsonFields.readTree(json, "repository status"), "status");
    ImmutableRepositoryStatus.Builder builder =
        ImmutableRepositoryStatus.builder()
            .configFile(status.text("configFile"))
            .uniqueIdHex(status.optionalText("uniqueIDHex"))
            .clientOptions(readClientOptions(status.object("clientOptions")))
            .storageType(status.optionalObject("storage").flatMap(s -> s.optionalText("type")))
            .splitter(
                status.optionalObject("objectFormat").flatMap(f -> f.optionalText("splitter")));
    status
        .optionalObject("contentFormat")
        .filter(format -> format.optionalText("hash").isPresent())
        .map(RepositoryStatusParser::readContentFormat)
        .ifPresent(builder::contentFormat);
    return builder.build();
  }

  static ClientOptions readClientOptions(JsonFields options) {
    return ImmutableClientOptions.builder()
        .hostname(options.optionalText("hostname"))
        .username(options.optionalText("username"))
        .readOnly(options.bool("readonly"))
        .description(options.optionalText("description"))
        .build();
  }

  private static ContentFormat readContentFormat(JsonFields format) {
    return ImmutableContentFormat.builder()
        .hash(format.text("hash"))
        .encryption(format.text("encryption"))
        .formatVersion(format.optionalInt("version"))
        .maxPackSize(format.optionalLong("maxPackSize"))
        .indexVersion(format.optionalInt("indexVersion"))
        .build();
  }
}
