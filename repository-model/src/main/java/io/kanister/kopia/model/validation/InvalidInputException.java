package io.kanister.kopia.model.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when the value of an invalid {@link Validated} is asked for anyway. */
public final class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InvalidInputException(List<Problem> problems) {
    super(problems.stream().map(Problem::text).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
