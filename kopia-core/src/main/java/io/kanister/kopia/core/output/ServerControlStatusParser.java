package io.kanister.kopia.core.output;

/** Reads the body of {@code GET /api/v1/control/status}. */
final class ServerControlStatusParser {

  private ServerControlStatusParser() {}

  static ServerControlStatus parse(String json) {
    JsonFields status =
        JsonFields.of(JsonFields.readTree(json, "server control status"), "control status");
    return ImmutableServerControlStatus.builder()
        .connected(status.bool("connected"))
        .configFile(status.optionalText("configFile"))
        .formatVersion(status.optionalInt("formatVersion"))
        .hash(status.optionalText("hash"))
        .encryption(status.optionalText("encryption"))
        .splitter(status.optionalText("splitter"))
        .maxPackSize(status.optionalLong("maxPackSize"))
        .storage(status.optionalText("storage"))
        .apiServerUrl(status.optionalText("apiServerURL"))
        .supportsContentCompression(status.bool("supportsContentCompression"))
        // Go embeds ClientOptions in StatusResponse, so its fields sit at the top level.
        .clientOptions(RepositoryStatusParser.readClientOptions(status))
        .build();
  }
}
