package io.kanister.kopia.core.exec;

import java.time.Duration;

/**
 * The outcome of a kopia run that exited 0.
 *
 * @param truncated true when an output exceeded the runner's capture limit
 */
public record KopiaResult(String stdout, String stderr, Duration elapsed, boolean truncated) {}
