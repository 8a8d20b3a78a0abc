package io.kanister.kopia.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatedTest {
  private static final Problem PROBLEM = new Problem("spec.policy.keepDaily", "must be 0 or more");

  @Test
  void aValidResultHoldsItsValue() {
    Validated<Integer> valid = Validated.valid(2);

    assertThat(valid.isValid()).isTrue();
    assertThat(valid.problems()).isEmpty();
    assertThat(valid.map(n -> n * 21).value()).isEqualTo(42);
  }

  @Test
  void anInvalidResultThrowsWithEveryProblem() {
    Validated<Integer> invalid =
        Validated.invalid(List.of(PROBLEM, new Problem("spec.location", "is required")));

    assertThat(invalid.isValid()).isFalse();
    assertThat(invalid.map(n -> n * 2).problems()).isEqualTo(invalid.problems());
    assertThat(((Validated.Invalid<Integer>) invalid).describe())
        .isEqualTo("spec.policy.keepDaily: must be 0 or more\nspec.location: is required");
    assertThatThrownBy(invalid::value)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("spec.policy.keepDaily: must be 0 or more; spec.location: is required");
  }

  @Test
  void anInvalidResultNeedsAProblem() {
    assertThatThrownBy(() -> Validated.invalid(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCollectorBuildsOnlyWithoutProblems() {
    ProblemCollector collector = new ProblemCollector();
    assertThat(collector.result(() -> "built").value()).isEqualTo("built");

    collector.add(PROBLEM.where(), PROBLEM.message());
    assertThat(collector.result(() -> "never").problems()).containsExactly(PROBLEM);
  }
}
