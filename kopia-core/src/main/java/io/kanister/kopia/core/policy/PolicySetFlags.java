package io.kanister.kopia.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Accumulates {@code policy set} flags for the fields that differ between a desired and an actual
 * defined policy. Valued flags are always written {@code --name=value} so that a value starting
 * with '-' cannot be taken for a flag.
 */
final class PolicySetFlags {
  static final String INHERIT = "inherit";

  private final List<String> flags = new ArrayList<>();

  /** A flag that takes a value, or the keyword {@code inherit} to drop the override. */
  <T> void value(String name, Optional<T> desired, Optional<T> actual, Function<T, String> text) {
    if (!desired.equals(actual)) {
      add(name, desired.map(text).orElse(INHERIT));
    }
  }

  /** A tri-state flag taking {@code true}, {@code false} or {@code inherit}. */
  void triState(String name, Optional<Boolean> desired, Optional<Boolean> actual) {
    value(name, desired, actual, String::valueOf);
  }

  /** A flag that has no {@code inherit} keyword; {@code unset} is written to drop the override. */
  <T> void valueOrUnset(
      String name,
      Optional<T> desired,
      Optional<T> actual,
      Function<T, String> text,
      String unset) {
    if (!desired.equals(actual)) {
      add(name, desired.map(text).orElse(unset));
    }
  }

  /** A flag whose single value replaces the whole stored list. */
  <T> void replacedList(
      String name, T desired, T actual, boolean desiredEmpty, Function<T, String> text) {
    if (!Objects.equals(desired, actual)) {
      add(name, desiredEmpty ? INHERIT : text.apply(desired));
    }
  }

  /**
   * A list edited with {@code --add-x}, {@code --remove-x} and {@code --clear-x}. Kopia applies
   * clear last and ignores add/remove with it, so clear is only used to empty the list.
   */
  void editedList(String suffix, Set<String> desired, Set<String> actual) {
    if (desired.equals(actual)) {
      return;
    }
    if (desired.isEmpty()) {
      flags.add("--clear-" + suffix);
      return;
    }
    for (String item : actual) {
      if (!desired.contains(item)) {
        add("remove-" + suffix, item);
      }
    }
    for (String item : desired) {
      if (!actual.contains(item)) {
        add("add-" + suffix, item);
      }
    }
  }

  void bare(String flag) {
    flags.add(flag);
  }

  void add(String name, String value) {
    flags.add("--" + name + "=" + value);
  }

  boolean isEmpty() {
    return flags.isEmpty();
  }

  List<String> toList() {
    return List.copyOf(flags);
  }
}
