package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The operator's settings for every repository server: flags, not per-Repository spec. */
public record ServerSettings(String image, int port, ResourceRequirements resources) {}
