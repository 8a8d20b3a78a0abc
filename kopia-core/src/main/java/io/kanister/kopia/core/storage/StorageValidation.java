package io.kanister.kopia.core.storage;

import io.kanister.kopia.core.secret.SecretValue;
import java.util.Optional;

/** Precondition checks shared by the locations; messages name the field, never its value. */
final class StorageValidation {
  private StorageValidation() {}

  static void requireText(String provider, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(provider + " storage requires a non-blank " + field);
    }
  }

  static void requireSecret(String provider, String field, SecretValue value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(provider + " storage requires a non-blank " + field);
    }
  }

  static void requireNonBlankIfPresent(String provider, String field, Optional<String> value) {
    value.ifPresent(v -> requireText(provider, field, v));
  }

  static void requireSingleLine(String provider, String field, String value) {
    if (value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == '\0')) {
      throw new IllegalArgumentException(
          provider + " storage " + field + " must not contain line breaks or NUL characters");
    }
  }
}
