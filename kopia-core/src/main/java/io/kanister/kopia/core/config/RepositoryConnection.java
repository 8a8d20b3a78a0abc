package io.kanister.kopia.core.config;

/** How a client reaches a repository: its storage directly, or a Kopia API server. */
public sealed interface RepositoryConnection permits DirectConnection, ApiServerConnection {}
