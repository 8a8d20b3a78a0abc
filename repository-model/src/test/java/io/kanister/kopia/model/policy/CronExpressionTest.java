package io.kanister.kopia.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 3 * * *",
        "*/15 * * * *",
        "0 0-6/2 1,15 JAN-MAR mon-fri",
        "30 2 * * 7",
        "0 0 L * ?",
        "0 0 * * 5#3",
        "0 3 * * * # nightly",
        "0 3 * * * 2030",
        "0 0 3 * * * *",
        "@daily",
        "@Weekly"
      })
  void acceptsWhatCronDialectsAccept(String line) {
    assertThat(CronExpression.problem(line)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "61 3 * * *|'61 3 * * *': minute 61 is out of range 0-59",
        "0 24 * * *|hour 24 is out of range 0-23",
        "0 3 0 * *|day-of-month 0 is out of range 1-31",
        "0 3 * 13 *|month 13 is out of range 1-12",
        "0 3 * * 8|day-of-week 8 is out of range 0-7",
        "*/0 * * * *|minute step '0' must be a whole number of at least 1",
        "0 3 * *|'0 3 * *' has 4 fields; write five",
        "every day|has 2 fields",
        "0 3,,4 * * *|hour '' is not a value, range or list",
        "0 1-2-3 * * *|hour '1-2-3' is not a value, range or list",
        "@reboot|'@reboot' is not a known shorthand",
        "# only a comment|is empty"
      })
  void refusesWhatNoCronAccepts(String line, String expected) {
    assertThat(CronExpression.problem(line)).get(STRING).contains(expected);
  }
}
