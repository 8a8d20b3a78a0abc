package io.kanister.kopia.core.output;

import java.util.OptionalInt;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** How contents are hashed and encrypted in a repository; secrets are never part of it. */
@Value.Immutable
public interface ContentFormat {

  String hash();

  String encryption();

  OptionalInt formatVersion();

  OptionalLong maxPackSize();

  OptionalInt indexVersion();
}
