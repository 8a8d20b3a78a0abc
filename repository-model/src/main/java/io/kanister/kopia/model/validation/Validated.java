package io.kanister.kopia.model.validation;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Either a value built from user input, or every {@link Problem} that prevented it. */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {
  static <T> Validated<T> valid(T value) {
    return new Valid<>(value);
  }

  static <T> Validated<T> invalid(List<Problem> problems) {
    return new Invalid<>(problems);
  }

  boolean isValid();

  /** The problems; empty when valid. */
  List<Problem> problems();

  /** The value; throws {@link InvalidInputException} with every problem when invalid. */
  T value();

  <R> Validated<R> map(Function<? super T, ? extends R> mapper);

  /** The value when valid. */
  record Valid<T>(T get) implements Validated<T> {
    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public List<Problem> problems() {
      return List.of();
    }

    @Override
    public T value() {
      return get;
    }

    @Override
    public <R> Validated<R> map(Function<? super T, ? extends R> mapper) {
      return new Valid<>(mapper.apply(get));
    }
  }

  /** The problems when invalid; never empty. */
  record Invalid<T>(List<Problem> problems) implements Validated<T> {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one problem");
      }
    }

    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public T value() {
      throw new InvalidInputException(problems);
    }

    @Override
    public <R> Validated<R> map(Function<? super T, ? extends R> mapper) {
      return new Invalid<>(problems);
    }

    /** All problems, one per line. */
    public String describe() {
      return problems.stream().map(Problem::text).collect(Collectors.joining("\n"));
    }
  }
}
