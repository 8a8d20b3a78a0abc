package io.kanister.controller.logging;

/**
 * Marks an exception whose message was written to be shown (it names objects and fields, never a
 * value), so logs keep it as it is. Every other exception's message is scrubbed before it is
 * logged, see {@link ScrubbedException}.
 */
public interface SafeMessage {}
