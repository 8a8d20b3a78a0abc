package io.kanister.kopia.model.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Gathers problems while input is checked field by field, so the user sees all at once. */
public final class ProblemCollector {
  private final List<Problem> problems = new ArrayList<>();

  public void add(String where, String message) {
    problems.add(new Problem(where, message));
  }

  public void add(String where, String message, Problem.Code code) {
    problems.add(new Problem(where, message, code));
  }

  public void addAll(List<Problem> more) {
    problems.addAll(more);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  /** The value built by {@code build} if no problem was found, else the problems. */
  public <T> Validated<T> result(Supplier<T> build) {
    return problems.isEmpty() ? Validated.valid(build.get()) : Validated.invalid(problems);
  }
}
